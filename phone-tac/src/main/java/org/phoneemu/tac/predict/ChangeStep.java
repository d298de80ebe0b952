package org.phoneemu.tac.predict;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.phone.Button;

/** One step of a planned change, in the order the operator will run them. */
public sealed interface ChangeStep {
    /** How the step is shown: the operator's own words. */
    String describe();

    /**
     * A CUCM CLI command on a node ({@code node} empty: the publisher) of a cluster ({@code cluster} empty: the
     * phones' own, A; {@code B}: the cluster of {@code --cluster-b}).
     */
    record Admin(Optional<String> cluster, Optional<String> node, String command) implements ChangeStep {
        public Admin(Optional<String> node, String command) {
            this(Optional.empty(), node, command);
        }

        @Override
        public String describe() {
            String where = cluster.map(c -> node.map(n -> n + " of cluster " + c).orElse("cluster " + c)).or(() -> node).orElse("");
            return "admin:" + command + (where.isEmpty() ? "" : " (on " + where + ")");
        }
    }

    /**
     * Phones are pointed at another cluster's TFTP servers, as a new DHCP option 150 would: {@code cluster} {@code A}
     * (the phones' own) or {@code B}; {@code phone} one (SEP&lt;MAC&gt;), empty every phone. The next boot uses them.
     */
    record Move(String cluster, Optional<String> phone) implements ChangeStep {
        @Override
        public String describe() {
            return "move " + phone.orElse("phones") + " to cluster " + cluster;
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
     * {@code erase ctl}, {@code factory reset}, {@code move phones to B} (also {@code move all to B}, {@code move to B};
     * {@code A} points them back), each optionally followed by one phone ({@code SEP<MAC>} or the MAC). With two
     * clusters, {@code B: command} or {@code B:node: command} runs a CUCM command on cluster B ({@code A:} on the
     * phones' own).
     */
    static ChangeStep parse(String text, Optional<String> defaultNode) {
        Optional<ChangeStep> phoneSide = phoneSide(text);
        if (phoneSide.isPresent()) {
            return phoneSide.get();
        }
        String t = text.trim();
        Optional<String> cluster = Optional.empty();
        if (t.matches("[ABab]\\s*:.*")) {
            cluster = Optional.of(t.substring(0, 1).toUpperCase(Locale.ROOT));
            t = t.substring(t.indexOf(':') + 1).trim();
            if (cluster.get().equals("B")) {
                // The default node names a node of the phones' own cluster.
                defaultNode = Optional.empty();
            }
        }
        Optional<String> node = defaultNode;
        int colon = t.indexOf(':');
        if (colon > 0 && !t.substring(0, colon).contains(" ")) {
            node = Optional.of(t.substring(0, colon));
            t = t.substring(colon + 1).trim();
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty change '" + text + "'");
        }
        return new Admin(cluster, node, t);
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
            case "move phones to b", "move phone to b", "move all to b", "move to b", "move to cluster b", "move phones to cluster b" ->
                    new Move("B", phone);
            case "move phones to a", "move phone to a", "move all to a", "move to a", "move to cluster a", "move phones to cluster a" ->
                    new Move("A", phone);
            default -> null;
        };
        return Optional.ofNullable(step);
    }
}
