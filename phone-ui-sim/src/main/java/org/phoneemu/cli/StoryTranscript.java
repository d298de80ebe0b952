package org.phoneemu.cli;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Phone;

/**
 * What the lab's stories (seed, migration) print, in one way: chapters, each check with its tick or cross, and each
 * phone's console lines since the last boot shown (every line with -v, else the story's key lines).
 */
final class StoryTranscript {
    private final PrintWriter out;
    private final boolean verbose;
    private final List<String> keyLines;
    private final Map<String, Long> shown = new HashMap<>();

    StoryTranscript(PrintWriter out, boolean verbose, List<String> keyLines) {
        this.out = out;
        this.verbose = verbose;
        this.keyLines = List.copyOf(keyLines);
    }

    void say(String line) {
        out.println(line);
        out.flush();
    }

    void chapter(String title) {
        say("");
        say("== " + title);
    }

    /** Says whether every report passes {@code check}; true when it does. */
    boolean expect(List<BootReport> reports, Predicate<BootReport> check, String what) {
        boolean ok = reports.stream().allMatch(check);
        say((ok ? "  ✔ " : "  ✘ NOT ") + what);
        return ok;
    }

    /** The phone's console lines written since the last call for it: every one with -v, else those with a key line's words. */
    void newConsoleLines(Phone p) {
        List<ConsoleLine> lines = p.consoleLog().lines();
        long from = shown.getOrDefault(p.mac(), 0L);
        for (ConsoleLine l : lines) {
            if (l.sequence() > from && (verbose || keyLines.stream().anyMatch(l.text()::contains))) {
                say("      " + l.format(ZoneId.systemDefault()));
            }
        }
        if (!lines.isEmpty()) {
            shown.put(p.mac(), lines.get(lines.size() - 1).sequence());
        }
    }

    /** The ITL signer's first name part ("CN=cucmpub.lab.example"), "-" without an ITL: the summary tables' column. */
    static String signerColumn(BootReport r) {
        String signer = r.itlSigner().orElse("-");
        int semi = signer.indexOf(';');
        return semi > 0 ? signer.substring(0, semi) : signer;
    }
}
