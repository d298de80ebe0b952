package org.phoneemu.fleet;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * How many SIP connections a fleet kept registered may keep open: two a phone (its CallManager's and the backup's kept
 * warm, docs/SIP.md §3), within the file descriptors the process may still open. A connection to a simulated cluster in
 * the same process costs two (both ends). Past the budget a phone's registration is renewed on a new connection each
 * time, as the SIP client does past its bound: the soak goes on, and the start line says so.
 *
 * @param wanted  connections the phones would keep
 * @param allowed connections kept at most
 * @param fdLimit the process's file descriptor limit; 0 when unknown (the budget is then what is wanted)
 */
record SipConnectionBudget(int wanted, int allowed, long fdLimit) {
    /**
     * Descriptors left for everything else (the boots' TFTP, TVS and HTTPS, connections opened and not yet kept or closed,
     * the cluster's servers, files): at least this many, and at least a quarter of the limit. 2,048 alone was too few: a
     * 10,000-phone storm against {@code --sim} under a limit of 20,000 ran out of descriptors (19,941 sockets open).
     */
    static final int RESERVE = 2048;

    static SipConnectionBudget of(int phones, boolean serverInProcess) {
        long limit = 0;
        long open = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            limit = unix.getMaxFileDescriptorCount();
            open = unix.getOpenFileDescriptorCount();
        }
        return of(phones, serverInProcess, limit, open);
    }

    static SipConnectionBudget of(int phones, boolean serverInProcess, long fdLimit, long fdOpen) {
        int wanted = (int) Math.min(Integer.MAX_VALUE, 2L * phones);
        if (fdLimit <= 0) {
            return new SipConnectionBudget(wanted, wanted, 0);
        }
        long free = Math.max(0, fdLimit - fdOpen - Math.max(RESERVE, fdLimit / 4)) / (serverInProcess ? 2 : 1);
        return new SipConnectionBudget(wanted, (int) Math.min(wanted, free), fdLimit);
    }

    /** What the start line adds when the budget is short of what the phones would keep. */
    Optional<String> shortfall() {
        if (allowed >= wanted) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "the file descriptor limit (%d) keeps %d of %d SIP connections open: past them a phone "
                + "renews on a new connection each time", fdLimit, allowed, wanted));
    }
}
