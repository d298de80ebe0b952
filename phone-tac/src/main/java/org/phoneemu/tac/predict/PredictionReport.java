package org.phoneemu.tac.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prints a {@link Prediction} for a TAC engineer, and writes the same as JSON. */
public final class PredictionReport {
    private PredictionReport() {
    }

    public static void print(Prediction p, PrintWriter out) {
        int phones = p.before().phones().size();
        out.println("Prediction for " + p.cluster() + ": " + phones + " phone(s); phones reboot "
                + (p.reboots() == RebootPolicy.CLUSTER_RESETS ? "when the cluster resets them" : "only at 'reboot phones' steps")
                + ", and once after the change");
        out.println();
        printStep("Before the change", p.before(), List.of(), out);
        for (StepResult s : p.steps()) {
            printStep("Step " + s.number() + ": " + s.step(), s, p.stopRegistering(s), out);
        }
        printStep("After the change", p.after(), p.stopRegistering(p.after()), out);
        out.println("Counts after the change: " + counts(p.after()) + "; " + registeredCount(p.after()));
        if (!p.warnings().isEmpty()) {
            out.println();
            out.println("Warnings:");
            p.warnings().forEach(w -> out.println("  - " + w));
        }
        if (!p.saferOrder().isEmpty()) {
            out.println();
            out.println("Safer order (" + p.saferOrderNote() + "):");
            for (int i = 0; i < p.saferOrder().size(); i++) {
                out.println("  " + (i + 1) + ". " + p.saferOrder().get(i));
            }
        } else if (!p.saferOrderNote().isEmpty()) {
            out.println();
            out.println("Other orders: " + p.saferOrderNote());
        }
        out.println();
        if (!p.refusedSteps().isEmpty()) {
            StepResult first = p.refusedSteps().get(0);
            out.println("Result: CUCM would refuse step " + first.number() + " (" + first.step() + "): the change cannot be made as planned"
                    + (p.everyPhoneStaysTrusted() ? "." : "; and some phones would end locked or without a verified config."));
        } else {
            out.println(p.everyPhoneStaysTrusted() ? "Result: every phone stays trusted through the change."
                    : "Result: some phones would end locked or without a verified config, or be refused their directory.");
        }
        List<PhoneOutcome> stopped = p.stopRegistering(p.after());
        if (!stopped.isEmpty()) {
            out.println("Registration: " + stopped.size() + " phone(s) that register now would stop registering after the change ("
                    + names(stopped.stream().map(PhoneOutcome::phone).toList()) + ": " + stopped.get(0).registration().describe() + ").");
        } else if (!p.everyPhoneStaysRegistered()) {
            out.println("Registration: some phones that register now would stop registering at a step of the change (above).");
        } else {
            long registered = p.after().phones().stream().filter(o -> o.registration().registered()).count();
            out.println("Registration: no phone stops registering (" + registered + " of " + p.after().phones().size()
                    + " register after the change).");
        }
        out.flush();
    }

    private static void printStep(String title, StepResult s, List<PhoneOutcome> stopRegistering, PrintWriter out) {
        out.println(title + " (" + s.why() + (s.refused() ? "; CUCM refuses the command" : "") + ")");
        if (s.phones().isEmpty() && s.presses().isEmpty() && s.menus().isEmpty()) {
            out.println();
            return;
        }
        if (s.menus().isEmpty()) {
            out.println("  cluster serves " + s.servedItl());
        }
        for (List<PressOutcome> g : grouped(s.presses(), o -> List.of(o.installedBefore(), o.result(), o.via(), o.tvs(), o.rule()))) {
            PressOutcome f = g.get(0);
            out.println("  " + names(g.stream().map(PressOutcome::phone).toList()) + ": " + f.result().label()
                    + (f.askedTvs() ? ", asked TVS" : ""));
            out.println("      held " + f.installedBefore());
            out.println("      rule: " + f.rule());
        }
        for (List<MenuOutcome> g : grouped(s.menus(), o -> List.of(o.operation(), o.done(), o.rule()))) {
            MenuOutcome f = g.get(0);
            out.println("  " + names(g.stream().map(MenuOutcome::phone).toList()) + ": " + f.operation().words() + " "
                    + (f.done() ? "done" : "refused by the phone"));
            out.println("      phone: " + f.rule());
        }
        for (PhoneGroup g : s.groups()) {
            out.println("  " + names(g.phones()) + ": " + g.verdict().label() + (g.assumed() ? " (assumed)" : "")
                    + (g.itlChanged() ? ", new ITL installed" : "")
                    + (g.tvs().isEmpty() ? "" : ", needs TVS"));
            out.println("      held " + g.installedBefore());
            out.println("      rule: " + g.rule());
            if (!g.provisioning().isEmpty()) {
                out.println("      provisioning: " + g.provisioning());
            }
            if (!g.tvs().isEmpty() && !g.rule().contains("TVS on ")) {
                out.println("      TVS: " + g.tvs().stream().map(TvsConsultation::describe).collect(Collectors.joining("; ")));
            }
            out.println("      SIP: " + g.registration().describe());
        }
        for (List<PhoneOutcome> g : grouped(stopRegistering, PhoneOutcome::registration)) {
            out.println("  would stop registering: " + names(g.stream().map(PhoneOutcome::phone).toList()) + " ("
                    + g.get(0).registration().describe() + ")");
        }
        out.println();
    }

    private static String names(List<String> phones) {
        return phones.size() <= 4 ? String.join(", ", phones)
                : String.join(", ", phones.subList(0, 3)) + ", … (" + phones.size() + " phones)";
    }

    /** Outcomes with the same key, in order of first appearance. */
    private static <T> List<List<T>> grouped(List<T> outcomes, Function<T, Object> key) {
        Map<Object, List<T>> by = new LinkedHashMap<>();
        outcomes.forEach(o -> by.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o));
        return List.copyOf(by.values());
    }

    static String counts(StepResult s) {
        return s.count(Verdict.TRUSTED) + " trusted, " + s.count(Verdict.LOCKED) + " locked, " + s.count(Verdict.CONFIG_REFUSED)
                + " config refused" + (s.count(Verdict.ERROR) > 0 ? ", " + s.count(Verdict.ERROR) + " error" : "");
    }

    static String registeredCount(StepResult s) {
        return s.phones().stream().filter(o -> o.registration().registered()).count() + " registered";
    }

    /** The prediction as plain data (maps and lists), as {@code --json} writes it. */
    public static Map<String, Object> toData(Prediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", p.cluster());
        m.put("reboots", p.reboots().name().toLowerCase().replace('_', '-'));
        m.put("everyPhoneStaysTrusted", p.everyPhoneStaysTrusted());
        m.put("everyPhoneStaysRegistered", p.everyPhoneStaysRegistered());
        m.put("exitCode", p.exitCode());
        List<Object> steps = new ArrayList<>();
        steps.add(step(p.before(), List.of()));
        p.steps().forEach(s -> steps.add(step(s, p.stopRegistering(s))));
        steps.add(step(p.after(), p.stopRegistering(p.after())));
        m.put("steps", steps);
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) {
            counts.put(v.key(), p.after().count(v));
        }
        counts.put("registered", p.after().phones().stream().filter(o -> o.registration().registered()).count());
        m.put("countsAfter", counts);
        m.put("warnings", p.warnings());
        m.put("saferOrder", p.saferOrder());
        m.put("saferOrderNote", p.saferOrderNote());
        return m;
    }

    private static Map<String, Object> step(StepResult s, List<PhoneOutcome> stopRegistering) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("number", s.number());
        m.put("step", s.step());
        m.put("phonesRebooted", s.phonesRebooted());
        m.put("why", s.why());
        m.put("refused", s.refused());
        m.put("cucmOutput", s.cucmOutput());
        m.put("servedItl", s.servedItl());
        List<Object> groups = new ArrayList<>();
        for (PhoneGroup g : s.groups()) {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("phones", g.phones());
            gm.put("held", g.installedBefore());
            gm.put("verdict", g.verdict().key());
            gm.put("itlChanged", g.itlChanged());
            gm.put("tvs", g.tvs().stream().map(t -> Map.of("node", t.node(), "answer", t.answer())).toList());
            gm.put("rule", g.rule());
            gm.put("provisioning", g.provisioning());
            gm.put("assumed", g.assumed());
            gm.put("registration", registration(g.registration()));
            groups.add(gm);
        }
        m.put("groups", groups);
        m.put("stopRegistering", stopRegistering.stream().map(o -> {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("phone", o.phone());
            sm.put("registration", registration(o.registration()));
            return sm;
        }).toList());
        List<Object> presses = new ArrayList<>();
        for (List<PressOutcome> g : grouped(s.presses(), o -> List.of(o.installedBefore(), o.result(), o.via(), o.tvs(), o.rule()))) {
            PressOutcome f = g.get(0);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("phones", g.stream().map(PressOutcome::phone).toList());
            pm.put("held", f.installedBefore());
            pm.put("result", f.result().key());
            pm.put("via", f.via().map(v -> v.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).orElse(null));
            pm.put("askedTvs", f.askedTvs());
            pm.put("tvs", f.tvs().stream().map(t -> Map.of("node", t.node(), "answer", t.answer())).toList());
            pm.put("rule", f.rule());
            presses.add(pm);
        }
        m.put("presses", presses);
        List<Object> menus = new ArrayList<>();
        for (List<MenuOutcome> g : grouped(s.menus(), o -> List.of(o.operation(), o.done(), o.rule()))) {
            MenuOutcome f = g.get(0);
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("phones", g.stream().map(MenuOutcome::phone).toList());
            mm.put("operation", f.operation().words());
            mm.put("result", f.done() ? "done" : "refused");
            mm.put("rule", f.rule());
            menus.add(mm);
        }
        m.put("menus", menus);
        return m;
    }

    /** A registration verdict as data: its kind, the CallManager and transport or status, and the reason in words. */
    private static Map<String, Object> registration(RegistrationVerdict r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", r.key());
        if (r instanceof RegistrationVerdict.Registered g) {
            m.put("node", g.node());
            m.put("transport", g.transport());
        } else if (r instanceof RegistrationVerdict.Refused f) {
            m.put("node", f.node());
            m.put("status", f.status());
            m.put("reason", f.reason());
        } else if (r instanceof RegistrationVerdict.Unreachable u) {
            m.put("untrustedCallManager", u.untrustedCallManager());
        }
        m.put("describe", r.describe());
        return m;
    }

    public static void writeJson(Prediction p, Path file) throws IOException {
        // Whole or not at all: a kill mid-write leaves the previous file (or none), never half a report.
        org.phoneemu.core.store.AtomicFiles.write(org.phoneemu.core.store.FileOps.system(), file,
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(toData(p)));
    }
}
