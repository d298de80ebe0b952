package org.phoneemu.cucm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.AtomicFiles;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.cucm.files.TftpFile;

/**
 * CUCM's {@code admin:} command line on one node: takes a command line, prints what CUCM prints. The words come
 * from the seed documents (seed 004 above all; listed in docs/TRUST-RULES.md, Sources); where the seeds show nothing, the text is short and marked as the
 * simulator's in docs/CUCM-SIM.md. Questions CUCM asks ("Proceed with regeneration (yes|no)?") go to a
 * {@link Prompter}; the default one answers as the seed transcripts do, so {@link #execute(String)} never blocks.
 *
 * <pre>{@code
 * AdminShell shell = new AdminShell(cluster, "test10pub");
 * System.out.print(shell.execute("set cert regen CallManager"));
 * System.out.print(shell.execute("set cert regen TVS"));   // refused by the hold timer
 * }</pre>
 */
public final class AdminShell {
    /** The prompt CUCM shows. */
    public static final String PROMPT = "admin:";

    /** Answers CUCM's questions; an interactive console asks its user. */
    @FunctionalInterface
    public interface Prompter {
        /**
         * @param question the text CUCM prints before waiting, e.g. {@code "Proceed with regeneration (yes|no)? "}
         * @param secret whether the answer is a password (not echoed)
         * @param suggested what the seed transcripts answer
         */
        String answer(String question, boolean secret, String suggested);

        /** Answers every question as the seed transcripts do (yes, y, the cluster security password). */
        Prompter DEFAULTS = (question, secret, suggested) -> suggested;
    }

    private final Cluster cluster;
    private final String node;
    private final Prompter prompter;
    private Path workingDirectory = Path.of("").toAbsolutePath();

    public AdminShell(Cluster cluster, String node) {
        this(cluster, node, Prompter.DEFAULTS);
    }

    public AdminShell(Cluster cluster, String node, Prompter prompter) {
        this.cluster = Objects.requireNonNull(cluster);
        this.node = cluster.node(node).id();
        this.prompter = Objects.requireNonNull(prompter);
    }

    /** Where {@code file get} writes and relative paths ({@code remotekey}, {@code set cert import}) are read. */
    public AdminShell workingDirectory(Path dir) {
        this.workingDirectory = dir.toAbsolutePath();
        return this;
    }

    public String prompt() {
        return PROMPT;
    }

    /** Runs one command line and returns everything CUCM would print, ending with a newline. */
    public String execute(String line) {
        StringBuilder out = new StringBuilder();
        execute(line, out);
        return out.toString();
    }

    /** Runs one command line, appending output as it goes (so an interactive console shows prompts in time). */
    public void execute(String line, Appendable out) {
        Output o = new Output(out);
        List<String> words = words(line);
        if (words.isEmpty()) {
            return;
        }
        try {
            dispatch(words, o);
        } catch (AdminException e) {
            o.line(e.getMessage());
        } catch (IllegalArgumentException e) {
            o.line("Executed command unsuccessfully");
            o.line(e.getMessage());
        }
    }

    private void dispatch(List<String> w, Output o) throws AdminException {
        String cmd = String.join(" ", w).toLowerCase(Locale.ROOT);
        if (cmd.equals("help") || cmd.equals("?")) {
            help(o);
        } else if (starts(w, "set", "cert", "regen")) {
            regen(arg(w, 3, "set cert regen <unit> [node]"), optional(w, 4), o);
        } else if (starts(w, "set", "cert", "import", "trust")) {
            importTrust(arg(w, 4, "set cert import trust <pem-file>"), o);
        } else if (starts(w, "utils", "itl", "reset", "localkey")) {
            itlReset(Optional.empty(), Optional.empty(), false, o);
        } else if (starts(w, "utils", "itl", "reset", "remotekey")) {
            remoteKey(w.subList(4, w.size()), o);
        } else if (starts(w, "file", "get", "tftp")) {
            fileGet(arg(w, 3, "file get tftp ITLRecovery.p12 [directory]"), optional(w, 4), o);
        } else if (starts(w, "file", "list", "tftp")) {
            fileList(o);
        } else if (starts(w, "utils", "service", "restart")) {
            restart(w.subList(3, w.size()), o);
        } else if (starts(w, "show", "itl")) {
            o.text(admin(optional(w, 2)).showItl());
        } else if (starts(w, "show", "ctl")) {
            o.text(admin(optional(w, 2)).showCtl());
        } else if (starts(w, "show", "cert", "own")) {
            showCert(arg(w, 3, "show cert own <unit>"), optional(w, 4), o);
        } else if (starts(w, "set", "network", "hostname")) {
            String host = arg(w, 3, "set network hostname <hostname>");
            admin(Optional.empty()).changeHostname(host);
            o.line("");
            o.line("Hostname changed to " + host + ": the CallManager, TVS and tomcat certificates were regenerated;");
            o.line("the ITLRecovery certificate keeps its name. The phones are reset.");
        } else if (starts(w, "set", "network", "domain")) {
            String domain = arg(w, 3, "set network domain <domain>");
            admin(Optional.empty()).changeDomain(domain);
            o.line("");
            o.line("Domain changed to " + domain + ": the CallManager, TVS and tomcat certificates were regenerated;");
            o.line("the ITLRecovery certificate keeps its name. The phones are reset.");
        } else if (starts(w, "set", "rollback")) {
            boolean on = bool(arg(w, 2, "set rollback true|false"));
            admin(Optional.empty()).setRollback(on);
            o.line("Prepare Cluster for Rollback to pre 8.0 = " + (on ? "True" : "False"));
            o.line("Reset the devices for the change to reach the phones.");
        } else if (starts(w, "utils", "reset", "phones")) {
            admin(Optional.empty()).resetPhones();
            o.line("Reset sent to all devices.");
        } else if (starts(w, "utils", "ctl", "set-cluster", "mixed-mode")) {
            admin(Optional.empty()).setMixedMode(true);
            o.line("The CTL file was generated successfully. The cluster is in mixed mode.");
        } else if (starts(w, "utils", "ctl", "set-cluster", "non-secure-mode")) {
            admin(Optional.empty()).setMixedMode(false);
            o.line("The CTL file was removed. The cluster is in non-secure mode.");
        } else if (starts(w, "utils", "ctl", "update", "ctlfile")) {
            admin(Optional.empty()).updateCtl();
            o.line("The CTL file was generated successfully.");
        } else if (starts(w, "utils", "disaster_recovery", "backup")) {
            String name = arg(w, w.size() > 3 ? w.size() - 1 : 3, "utils disaster_recovery backup local <name>");
            admin(Optional.empty()).backup(name);
            o.line("Backup " + name + " completed.");
        } else if (starts(w, "utils", "disaster_recovery", "restore")) {
            restore(w.subList(3, w.size()), o);
        } else if (starts(w, "utils", "disaster_recovery", "show_backupfiles")) {
            admin(Optional.empty()).backups().forEach(o::line);
        } else {
            o.line("Executed command unsuccessfully");
            o.line("Invalid command: " + String.join(" ", w) + " (type 'help' for the commands of the simulated CUCM)");
        }
    }

    // ---- set cert regen (seed 004) -------------------------------------------------------------------------

    private void regen(String unitName, Optional<String> target, Output o) throws AdminException {
        CertificateUnit unit = CertificateUnit.fromCli(unitName)
                .orElseThrow(() -> new IllegalArgumentException("Unknown certificate unit " + unitName + " (CallManager, TVS, tomcat, ITLRecovery)"));
        NodeAdmin admin = admin(target);
        o.line("");
        // The hold timer answers before any question (seed 004: the refusal follows the command directly).
        Optional<HoldTimerException> hold = admin.holdTimer(unit);
        if (hold.isPresent()) {
            o.line(hold.get().getMessage());
            o.line("");
            return;
        }
        o.line(CucmText.regenWarning(unit));
        String answer = o.ask(CucmText.REGEN_PROMPT, false, "yes");
        if (!answer.trim().equalsIgnoreCase("yes")) {
            o.line("");
            return;
        }
        admin.regenerateCertificate(unit);
        o.line("");
        o.line("");
        CucmText.regenSuccess(unit).forEach(o::line);
        o.line("");
    }

    private void importTrust(String file, Output o) throws AdminException {
        Path p = workingDirectory.resolve(file);
        X509Certificate cert;
        try {
            cert = PemFiles.read(p).certificate();
        } catch (PemFiles.PemException e) {
            throw new AdminException(e.getMessage());
        }
        admin(Optional.empty()).importTrustCertificate(cert);
        o.line("Successfully imported certificate for " + DistinguishedNames.format(cert.getSubjectX500Principal(), NameStyle.CUCM) + ".");
    }

    // ---- utils itl reset (seed 004) ------------------------------------------------------------------------

    private void remoteKey(List<String> args, Output o) throws AdminException {
        NodeAdmin admin = admin(Optional.empty());
        if (!admin.isPublisher()) {
            throw new AdminException(CucmText.NOT_PUBLISHER);
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: utils itl reset remotekey <ITLRecovery.p12> [password]  or  <sftp-host> <user> <path>");
        }
        boolean sftpForm = args.size() >= 3;
        String path = sftpForm ? args.get(2) : args.get(0);
        Optional<String> password = !sftpForm && args.size() >= 2 ? Optional.of(args.get(1)) : Optional.empty();
        byte[] p12;
        try {
            p12 = Files.readAllBytes(workingDirectory.resolve(path));
        } catch (IOException e) {
            throw new AdminException("File not found: " + path);
        }
        itlReset(Optional.of(p12), password, sftpForm, o);
    }

    private void itlReset(Optional<byte[]> p12, Optional<String> password, boolean sftpForm, Output o) throws AdminException {
        NodeAdmin admin = admin(Optional.empty());
        if (!admin.isPublisher()) {
            throw new AdminException(CucmText.NOT_PUBLISHER);
        }
        if (sftpForm) {
            o.ask(CucmText.SFTP_PASSWORD_PROMPT, true, "");
            // Seed 004 prints these lines of CUCM's own debugging here, as they are.
            String ou = cluster.spec().subject().getOrDefault("OU", "tac");
            o.line("Processing token in else 0 " + ou);
            o.line("coutn is 1");
            o.line("Processing token in else 0 " + ou);
            o.line("coutn is 1");
            o.line("");
            o.line("");
            o.line("");
        }
        o.ask(CucmText.ADMIN_PASSWORD_PROMPT, true, "");
        o.line("");
        List<String> hosts;
        if (p12.isPresent()) {
            char[] pw = password.orElse(cluster.spec().securityPassword()).toCharArray();
            hosts = admin.resetItlRemoteKey(p12.get(), pw);
        } else {
            hosts = admin.resetItlLocalKey();
        }
        o.line(CucmText.LOCATING);
        o.line("");
        o.line(CucmText.TFTP_LIST);
        o.line("");
        o.line(CucmText.hostList(hosts));
        o.line(CucmText.RESET_GENERATED);
        o.line("");
        o.line("");
        o.line(CucmText.TRANSFERRING);
        String publisher = admin.hostname();
        for (String host : hosts) {
            if (!host.equals(publisher)) {
                o.line(CucmText.transferred(host));
            }
            o.line("");
            o.line(CucmText.restartingTftp(host));
            o.line(CucmText.restartedTftp(host));
        }
    }

    // ---- file get tftp ITLRecovery.p12 (seed 004) ----------------------------------------------------------

    private void fileGet(String name, Optional<String> directory, Output o) throws AdminException {
        if (!name.equalsIgnoreCase("ITLRecovery.p12")) {
            throw new AdminException(CucmText.FILE_NOT_FOUND);
        }
        byte[] p12 = admin(Optional.empty()).itlRecoveryP12();
        o.line(CucmText.GATHERING);
        o.line(CucmText.NOT_TRAVERSED);
        o.line("Number of files affected: 1");
        o.line("Total size in Bytes: " + p12.length);
        o.line("Total size in Kbytes: " + (p12.length / 1024f));
        String answer = o.ask(CucmText.PROCEED, false, "y");
        if (!answer.trim().equalsIgnoreCase("y")) {
            return;
        }
        Path dir = workingDirectory.resolve(directory.orElse(".")).normalize();
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(FileOps.system(), dir.resolve("ITLRecovery.p12"), p12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ITLRecovery.p12 to " + dir, e);
        }
        o.line("");
        o.line("Download directory: " + dir + "/");
        o.line("");
        o.line(".");
        o.line(CucmText.TRANSFER_COMPLETED);
        o.line("Downloading file: " + CucmText.P12_PATH);
    }

    private void fileList(Output o) {
        List<TftpFile> files = new ArrayList<>(cluster.files(node).files());
        for (TftpFile f : files) {
            o.line(f.name());
        }
        o.line("dir count = 0, file count = " + files.size());
    }

    // ---- services, restore, certificates -------------------------------------------------------------------

    private void restart(List<String> args, Output o) throws AdminException {
        String rest = String.join(" ", args);
        for (ClusterService s : ClusterService.values()) {
            if (rest.toLowerCase(Locale.ROOT).startsWith(s.displayName().toLowerCase(Locale.ROOT))) {
                String after = rest.substring(s.displayName().length()).trim();
                NodeAdmin admin = admin(after.isEmpty() ? Optional.empty() : Optional.of(after));
                admin.restartService(s);
                CucmText.serviceRestart(s.displayName()).forEach(o::line);
                return;
            }
        }
        throw new IllegalArgumentException("Unknown service: " + rest + " (Cisco Tftp, Cisco Trust Verification Service)");
    }

    private void restore(List<String> args, Output o) throws AdminException {
        List<String> a = new ArrayList<>(args);
        a.remove("local");
        boolean withoutKey = a.remove("without-callmanager-key");
        if (a.size() != 1) {
            throw new IllegalArgumentException("usage: utils disaster_recovery restore local <name> [without-callmanager-key]");
        }
        admin(Optional.empty()).restore(a.get(0), !withoutKey);
        o.line("Restore of " + a.get(0) + " completed" + (withoutKey ? " without the CallManager key (CSCtn50405)." : "."));
    }

    private void showCert(String unitName, Optional<String> target, Output o) {
        String u = unitName.contains("/") ? unitName.substring(0, unitName.indexOf('/')) : unitName;
        CertificateUnit unit = CertificateUnit.fromCli(u)
                .orElseThrow(() -> new IllegalArgumentException("Unknown certificate unit " + unitName));
        X509Certificate c = admin(target).certificate(unit);
        o.line("[");
        o.line("  Subject: " + DistinguishedNames.format(c.getSubjectX500Principal(), NameStyle.CUCM));
        o.line("  Issuer: " + DistinguishedNames.format(c.getIssuerX500Principal(), NameStyle.CUCM));
        o.line("  SerialNumber: " + Certificates.serialDisplay(Certificates.serialBytes(c.getSerialNumber())));
        o.line("  Validity: From: " + c.getNotBefore().toInstant() + " To: " + c.getNotAfter().toInstant());
        o.line("  SHA1: " + Certificates.sha1Hex(c));
        o.line("]");
        o.text(PemFiles.toPem(c));
    }

    private void help(Output o) {
        for (String h : List.of(
                "set cert regen CallManager|TVS|tomcat|ITLRecovery [node]",
                "set cert import trust <pem-file>",
                "show cert own <unit> [node]",
                "show itl [node]",
                "show ctl",
                "utils itl reset localkey",
                "utils itl reset remotekey <ITLRecovery.p12> [password]   (or <sftp-host> <user> <path>)",
                "file get tftp ITLRecovery.p12 [directory]",
                "file list tftp",
                "utils service restart Cisco Tftp|Cisco Trust Verification Service [node]",
                "set network hostname <hostname>",
                "set network domain <domain>",
                "set rollback true|false          (Prepare Cluster for Rollback to pre 8.0)",
                "utils reset phones",
                "utils ctl set-cluster mixed-mode|non-secure-mode",
                "utils ctl update CTLFile",
                "utils disaster_recovery backup local <name>",
                "utils disaster_recovery restore local <name> [without-callmanager-key]",
                "utils disaster_recovery show_backupfiles")) {
            o.line(h);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private NodeAdmin admin(Optional<String> target) {
        return cluster.admin(target.orElse(node));
    }

    private static List<String> words(String line) {
        String t = line == null ? "" : line.trim();
        if (t.startsWith(PROMPT)) {
            t = t.substring(PROMPT.length()).trim();
        }
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    private static boolean starts(List<String> w, String... prefix) {
        if (w.size() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!w.get(i).equalsIgnoreCase(prefix[i])) {
                return false;
            }
        }
        return true;
    }

    private static String arg(List<String> w, int i, String usage) {
        if (i >= w.size() || i < 0) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return w.get(i);
    }

    private static Optional<String> optional(List<String> w, int i) {
        return i < w.size() ? Optional.of(w.get(i)) : Optional.empty();
    }

    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false, not " + s);
        };
    }

    /** The transcript: lines, and questions with their answers as a terminal shows them. */
    private final class Output {
        private final Appendable out;

        Output(Appendable out) {
            this.out = out;
        }

        void line(String s) {
            text(s + "\n");
        }

        void text(String s) {
            try {
                out.append(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String ask(String question, boolean secret, String suggested) {
            text(question);
            String answer = prompter.answer(question, secret, suggested);
            line(secret ? "" : answer);
            return answer == null ? "" : answer;
        }
    }
}
