package org.phoneemu.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PressResult;

/**
 * What an {@code expect} step can check on a phone: the key a scenario file writes, and the check. The parser
 * knows the keys from here and the runner runs the checks from here, so the two cannot drift apart. The keys are
 * documented in config/scenarios/README.md.
 */
public enum Expectation {
    VERDICT("verdict", (on, w, want) -> {
        String got = on.phone().lastBoot().map(BootReport::verdict).orElse("not booted");
        return got.equals(w) ? null : "verdict was " + got;
    }),
    STATE("state", (on, w, want) -> {
        String got = on.phone().trustState().name();
        return got.equalsIgnoreCase(w) ? null : "state was " + got;
    }),
    ITL("itl", (on, w, want) -> {
        Optional<String> have = on.phone().securityDaemon().trust().itl().map(l -> l.file().md5Hex());
        Optional<String> served = on.servedItl().apply(on.phone()); // the cluster the phone is pointed at
        return switch (w) {
            case "current" -> have.isPresent() && have.equals(served) ? null
                    : "installed ITL " + have.orElse("(none)") + ", cluster serves " + served.orElse("(none)");
            case "old", "not-current" -> have.isPresent() && !have.equals(served) ? null
                    : "installed ITL " + have.orElse("(none)") + " is the served one";
            case "none" -> have.isEmpty() ? null : "an ITL is installed: " + have.get();
            default -> have.map(h -> h.equalsIgnoreCase(w)).orElse(false) ? null : "installed ITL " + have.orElse("(none)");
        };
    }),
    ITL_SIGNER("itlSigner", (on, w, want) -> {
        Optional<String> signer = on.phone().securityDaemon().trust().itl().map(TrustList::file).map(f -> f.signer().name());
        return signer.map(s -> s.contains(w)).orElse(false) ? null : "ITL signer is " + signer.orElse("(no ITL)");
    }),
    CTL("ctl", (on, w, want) -> {
        Optional<TrustList> ctl = on.phone().securityDaemon().trust().ctl();
        if (w.equals("none")) {
            return ctl.isEmpty() ? null : "a CTL is installed";
        }
        return ctl.isPresent() ? null : "no CTL installed";
    }),
    STATUS("status", (on, w, want) ->
            on.phone().statusMessages().contains(w) ? null : "status messages: " + statusTexts(on.phone())),
    NO_STATUS("noStatus", (on, w, want) ->
            on.phone().statusMessages().contains(w) ? "status messages include '" + w + "'" : null),
    LOG("log", (on, w, want) ->
            on.phone().consoleLog().contains(w) ? null : "no console line contains '" + w + "'"),
    NO_LOG("noLog", (on, w, want) ->
            on.phone().consoleLog().contains(w) ? "a console line contains '" + w + "'" : null),
    CONFIG("config", (on, w, want) -> {
        if (!(want instanceof Map<?, ?> m)) {
            return "config expects a mapping of element: value";
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String el = String.valueOf(e.getKey());
            Optional<String> got = on.phone().config().flatMap(c -> c.element(el));
            if (!got.map(g -> g.equals(String.valueOf(e.getValue()))).orElse(false)) {
                return el + " is " + got.orElse("(absent)");
            }
        }
        return null;
    }),
    TVS_CONTACTS("tvsContacts", (on, w, want) -> {
        int got = on.phone().tvsContacts();
        return Integer.toString(got).equals(w) ? null : "TVS contacted " + got + " time(s)";
    }),
    PRESS("press", (on, w, want) -> {
        PressResult r = on.lastPress().get(on.phone().mac());
        String got = r == null ? "not pressed" : r instanceof PressResult.Shown ? "shown"
                : r instanceof PressResult.HostNotFound ? "host-not-found" : "failed";
        return got.equals(w) ? null : "last press: " + (r == null ? got : ScenarioRunner.describe(r));
    }),
    LAST_STATUS("lastStatus", (on, w, want) -> {
        String last = on.phone().statusMessages().last().map(StatusMessages.Message::text).orElse("(none)");
        return last.contains(w) ? null : "last status message is '" + last + "'";
    }),
    /** {@code none}, {@code installed} (the LSC the cluster's CAPF issued last), or its key: {@code RSA 2048}, {@code EC P-256}. */
    LSC("lsc", (on, w, want) -> ScenarioCapf.checkLsc(on.lab().cluster(), on.phone(), w)),
    /** Text in the name of the configuration file the last boot applied. */
    CONFIG_FROM("configFrom", (on, w, want) -> {
        String got = on.phone().lastBoot().flatMap(BootReport::configSource).orElse("(none applied)");
        return got.contains(w) ? null : "last boot applied " + got;
    }),
    /**
     * What the configuration of the last boot came over (docs/PROTOCOLS.md §4): {@code https} (6971), {@code http}
     * (6970) or {@code tftp}; {@code none} when no configuration file was received.
     */
    CONFIG_OVER("configOver", (on, w, want) -> {
        String got = lastConfig(on.phone()).map(f -> f.transport().name().toLowerCase(java.util.Locale.ROOT)).orElse("none");
        return got.equals(w) ? null : "the last configuration came over " + got;
    }),
    /**
     * Text in what failed before the last boot's configuration came over its transport (e.g. {@code server certificate
     * not trusted}, the phone refusing the 6971 certificate); {@code none}: nothing failed.
     */
    FELL_BACK("fellBack", (on, w, want) -> {
        String got = lastConfig(on.phone()).map(f -> f.fellBack().stream().map(org.phoneemu.tftp.boot.BootDownloader.FailedAttempt::describe)
                .reduce((a, b) -> a + "; " + b).orElse("")).orElse("");
        if (w.equals("none")) {
            return got.isEmpty() ? null : "the configuration fell back: " + got;
        }
        return got.contains(w) ? null : "the configuration " + (got.isEmpty() ? "did not fall back" : "fell back: " + got);
    }),
    /**
     * The phone's last registration (docs/SIP.md): {@code true} | {@code false} | {@code tls} | {@code tcp} (registered
     * over that transport) | {@code refused} (a final refusal by CallManager) | other text the registration's line contains.
     */
    REGISTERED("registered", (on, w, want) -> ScenarioSip.check(on.phone(), w));

    /** What a check looks at: the lab, the phone, and each phone's last press result. */
    record Observed(Lab lab, Phone phone, Map<String, PressResult> lastPress, java.util.function.Function<Phone, Optional<String>> servedItl) {
        /** On one cluster: the ITL served is the lab's. */
        Observed(Lab lab, Phone phone, Map<String, PressResult> lastPress) {
            this(lab, phone, lastPress, p -> lab.servedItlMd5());
        }
    }

    @FunctionalInterface
    private interface Check {
        /** @param w the wanted value as text; {@code want} as the file gave it (a mapping for config) */
        String failure(Observed on, String w, Object want);
    }

    private final String key;
    private final Check check;

    Expectation(String key, Check check) {
        this.key = key;
        this.check = check;
    }

    /** The key in a scenario file's {@code expect} step. */
    public String key() {
        return key;
    }

    /** Null when the expectation holds on the phone, else what was found instead. */
    String failure(Observed on, Object want) {
        return check.failure(on, String.valueOf(want), want);
    }

    public static Optional<Expectation> forKey(String key) {
        return Arrays.stream(values()).filter(e -> e.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Expectation::key).toList();
    }

    /** The last configuration file the phone's last boot received, with what it came over. */
    private static Optional<BootReport.Fetched> lastConfig(Phone phone) {
        return phone.lastBoot().flatMap(r -> r.files().stream()
                .filter(f -> f.name().toLowerCase(java.util.Locale.ROOT).contains(".cnf.xml")).reduce((a, b) -> b));
    }

    private static String statusTexts(Phone phone) {
        List<String> texts = phone.statusMessages().all().stream().map(StatusMessages.Message::text).toList();
        return texts.isEmpty() ? "(none)" : String.join(" | ", texts);
    }
}
