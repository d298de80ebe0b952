package org.phoneemu.cli;

import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.NettyPhoneNetwork;
import picocli.CommandLine.Option;

/**
 * {@code fleet --register / --no-register} (docs/FLEET.md, docs/SIP.md): whether the phones register to CallManager
 * after a verified config. On by default with {@code --sim} (the built-in cluster's registrars are there to be
 * measured); off by default with {@code --tftp}, since registering thousands of phones to a production CUCM is a
 * choice its user makes.
 */
final class FleetRegisterOption {
    @Option(names = "--register", negatable = true,
            description = {"the phones register to CallManager (SIP, over TLS in a secure mode) after a verified config:",
                    "a 'registration' column and a registration latency histogram in the report.",
                    "Default: on with --sim, off with --tftp (a real cluster registers only when asked)"})
    Boolean register;

    @Option(names = "--keep-registered", paramLabel = "DURATION",
            description = {"after the last round keep every registered phone registered this long (e.g. 10m, 2h: a soak):",
                    "each renews on its own schedule on the connection it kept, the backup kept warm; renewals,",
                    "failures and failovers in the summary and the report. SIGINT/SIGTERM end it (exit 4)"})
    String keepRegistered;

    /** {@code --keep-registered}, checked: it needs the registration on and a duration above 0. */
    java.util.Optional<java.time.Duration> keep(boolean sim) {
        if (keepRegistered == null) {
            return java.util.Optional.empty();
        }
        java.time.Duration d = Durations.parse(keepRegistered, "--keep-registered");
        if (d.isZero()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--keep-registered must be more than 0");
        }
        if (!on(sim)) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--keep-registered needs the phones to register: "
                    + (register != null ? "it does not go with --no-register" : "add --register (off by default with --tftp)"));
        }
        return java.util.Optional.of(d);
    }

    /** Whether the fleet's phones register, against the built-in cluster ({@code sim}) or a real one. */
    boolean on(boolean sim) {
        return register != null ? register : sim;
    }

    /**
     * Prepares the phones' network for registering to {@code sim} (null for a real cluster, whose node names DNS
     * resolves): the built-in cluster's node names have no DNS entry.
     */
    void prepare(NettyPhoneNetwork network, Cluster sim) {
        if (sim != null) {
            network.callManagerNames(org.phoneemu.lab.Lab.callManagerNames(sim));
        }
    }
}
