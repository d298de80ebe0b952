package org.phoneemu.tac.predict;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** One step of a planned change, in the order the operator will run them. */
public sealed interface ChangeStep {
    /** How the step is shown: the operator's own words. */
    String describe();

    /** A CUCM CLI command on a node ({@code node} empty: the publisher). */
    record Admin(Optional<String> node, String command) implements ChangeStep {
        @Override
        public String describe() {
            return "admin:" + command + node.map(n -> " (on " + n + ")").orElse("");
        }
    }

    /** Time passes (e.g. CUCM's 5-minute hold timer between two regenerations). */
    record Wait(Duration duration) implements ChangeStep {
        @Override
        public String describe() {
            return "wait " + duration.toSeconds() + " s";
        }
    }

    /** Every phone reboots (power cycle, the Reset button, a network outage). */
    record Reboot() implements ChangeStep {
        @Override
        public String describe() {
            return "reboot phones";
        }
    }

    /** The words {@code reboot phones} (or {@code reboot}) are the phones' side; everything else is a CUCM command. */
    private static boolean isReboot(String words) {
        String w = words.trim().toLowerCase(Locale.ROOT);
        return w.equals("reboot phones") || w.equals("reboot");
    }

    /** A {@code --change} text: {@code [node:] command}, or {@code reboot phones}. */
    static ChangeStep parse(String text, Optional<String> defaultNode) {
        if (isReboot(text)) {
            return new Reboot();
        }
        String t = text.trim();
        Optional<String> node = defaultNode;
        int colon = t.indexOf(':');
        if (colon > 0 && !t.substring(0, colon).contains(" ")) {
            node = Optional.of(t.substring(0, colon));
            t = t.substring(colon + 1).trim();
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty change '" + text + "'");
        }
        return new Admin(node, t);
    }

}
