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
