package org.phoneemu.scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A scenario file (config/scenarios/README.md): a cluster, some phones, then steps. Expectations are steps too,
 * so a report can say which expectation failed and where.
 */
public record Scenario(Path file, String name, String description, Path cluster, List<String> phones, List<Step> steps,
                       Map<String, Path> clusters) {

    /** The name of the cluster the phones start on when the file names one cluster ({@code cluster:}). */
    public static final String HOME = "A";

    /** {@code clusters}: every cluster of the run by name, the one the phones start on ({@code cluster}) first. */
    public Scenario {
        clusters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clusters));
    }

    /** A scenario on one cluster. */
    public Scenario(Path file, String name, String description, Path cluster, List<String> phones, List<Step> steps) {
        this(file, name, description, cluster, phones, steps, Map.of(HOME, cluster));
    }

    /** The name of the cluster the phones start on. */
    public String home() {
        return clusters.keySet().iterator().next();
    }

    /** One step of a scenario. {@code target} is "all" or a MAC. */
    public sealed interface Step {
        int line();

        /** A CUCM CLI command on a node (publisher when empty); {@code expectOutput} must appear in its output. */
        record Admin(int line, String command, String node, String expectOutput, String cluster) implements Step {
            public Admin(int line, String command, String node, String expectOutput) {
                this(line, command, node, expectOutput, "");
            }
        }

        /** Points phones at another cluster's TFTP servers (a new DHCP option 150); the next boot goes there. */
        record Move(int line, String target, String to) implements Step {
        }

        /** Advance the virtual clock. */
        record Clock(int line, long seconds) implements Step {
        }

        /** Reboot (reset) phones: they run their boot downloads again. */
        record Boot(int line, String target) implements Step {
        }

        /** Press Directories or Services. */
        record Press(int line, String target, String button) implements Step {
        }

        /** A Trust List menu operation: erase-itl, erase-ctl, factory-reset. */
        record Menu(int line, String target, String operation, String expect) implements Step {
        }

        /**
         * CAPF: what the administrator sets on the phone's page (operation, authMode, authString, keySize, keyType)
         * and what the user types on the phone ({@code enter}: the authentication string). The next boot acts on it.
         */
        record Capf(int line, String target, Map<String, Object> settings) implements Step {
        }

        /** Expectations on phones, in the file's order, with the wanted value as the file gave it. */
        record Expect(int line, String target, Map<Expectation, Object> checks) implements Step {
        }
    }
}
