package org.phoneemu.tvs.client.internal;

import java.util.BitSet;
import java.util.Map;
import java.util.WeakHashMap;
import org.phoneemu.core.console.ConsoleLog;

/**
 * The numbers a phone's security daemon prints for its connections ({@code clpSetupSsl: TCP connected, <ip> c:8 s:9},
 * {@code secReq_initClient: clnt sock fd 10 bound}): per phone (per console log), the lowest free numbers from
 * {@value #FIRST}, given back when the connection ends, as an operating system hands out file descriptors. They are the
 * emulator's own numbering, not real descriptors; what they share with the phone's is how they are reused.
 */
public final class SecdDescriptors {
    /** The first number the seed phone's daemon prints for a connection (below it: its standard streams and files). */
    public static final int FIRST = 8;

    private static final Map<ConsoleLog, BitSet> IN_USE = new WeakHashMap<>();

    private SecdDescriptors() {
    }

    /** The lowest free number of {@code log}'s phone, now in use until {@link #release}. */
    public static int open(ConsoleLog log) {
        synchronized (IN_USE) {
            BitSet used = IN_USE.computeIfAbsent(log, l -> new BitSet());
            int n = used.nextClearBit(FIRST);
            used.set(n);
            return n;
        }
    }

    public static void release(ConsoleLog log, int n) {
        synchronized (IN_USE) {
            BitSet used = IN_USE.get(log);
            if (used != null) {
                used.clear(n);
            }
        }
    }
}
