package org.phoneemu.tac.predict;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.phone.Button;

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

    /** Phones reboot (power cycle, the Reset button, a network outage): {@code phone} one (SEP&lt;MAC&gt;), empty every phone. */
    record Reboot(Optional<String> phone) implements ChangeStep {
        public Reboot() {
            this(Optional.empty());
        }

        @Override
        public String describe() {
            return phone.map(p -> "reboot " + p).orElse("reboot phones");
        }
    }

    /** Users press Directories (or Services): the phone opens the HTTPS URL of its config and checks the server's certificate. */
    record Press(Button button, Optional<String> phone) implements ChangeStep {
        @Override
        public String describe() {
            return "press " + button.name().toLowerCase(Locale.ROOT) + phone.map(p -> " on " + p).orElse("");
        }
    }

    /** Someone uses the phone's Trust List menu (Settings &gt; Security): erase a list, or a factory reset. */
    record Menu(MenuOperation operation, Optional<String> phone) implements ChangeStep {
        @Override
        public String describe() {
            return operation.words() + phone.map(p -> " on " + p).orElse("");
        }
    }

    /** What the Trust List menu does. */
    enum MenuOperation {
        ERASE_ITL("erase trust list"), ERASE_CTL("erase ctl"), FACTORY_RESET("factory reset");

        private final String words;

        MenuOperation(String words) {
            this.words = words;
        }

        /** The words of {@code --change}. */
        public String words() {
            return words;
        }
    }

    /**
     * A {@code --change} text: {@code [node:] command} for CUCM, or the phones' side: {@code reboot phones},
     * {@code press directories}, {@code press services}, {@code erase trust list} (the ITL; also {@code erase itl}),
     * {@code erase ctl}, {@code factory reset}, each optionally followed by one phone ({@code SEP<MAC>} or the MAC).
     */
    static ChangeStep parse(String text, Optional<String> defaultNode) {
        Optional<ChangeStep> phoneSide = phoneSide(text);
        if (phoneSide.isPresent()) {
            return phoneSide.get();
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

    private static Optional<ChangeStep> phoneSide(String text) {
        String w = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        Optional<String> phone = Optional.empty();
        int last = w.lastIndexOf(' ');
        String tail = last < 0 ? "" : w.substring(last + 1);
        if (tail.matches("(sep)?[0-9a-f]{12}")) {
            phone = Optional.of("SEP" + tail.substring(tail.length() - 12).toUpperCase(Locale.ROOT));
            w = w.substring(0, last).trim();
            if (w.endsWith(" on")) {
                w = w.substring(0, w.length() - 3);
            }
        }
        ChangeStep step = switch (w) {
            case "reboot phones", "reboot phone", "reboot" -> new Reboot(phone);
            case "press directories" -> new Press(Button.DIRECTORIES, phone);
            case "press services" -> new Press(Button.SERVICES, phone);
            case "erase trust list", "erase itl" -> new Menu(MenuOperation.ERASE_ITL, phone);
            case "erase ctl" -> new Menu(MenuOperation.ERASE_CTL, phone);
            case "factory reset" -> new Menu(MenuOperation.FACTORY_RESET, phone);
            default -> null;
        };
        return Optional.ofNullable(step);
    }
}
