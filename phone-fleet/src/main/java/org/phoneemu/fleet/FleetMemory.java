package org.phoneemu.fleet;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a fleet of N phones fits in this JVM's heap, asked before anything is set up: a fleet too large for the
 * heap would otherwise run for minutes and end in an OutOfMemoryError. Measured: 100,000 phones of {@code fleet
 * --sim} (the simulated cluster's per-device files included) hold 2.25 GB live after the first boot, 22.5 KB a
 * phone; docs/FLEET.md.
 */
public final class FleetMemory {
    /** Heap a phone needs, with its share of the simulated cluster's files (rounded down from the 22.5 KB measured). */
    public static final long BYTES_PER_PHONE = 22 * 1024;
    /** Heap for everything that does not grow with the phones (classes, TLS, Netty buffers, the report). */
    public static final long BASE_BYTES = 100L * 1024 * 1024;

    private FleetMemory() {
    }

    /** Heap {@code phones} phones need, in bytes. */
    public static long needed(int phones) {
        return BASE_BYTES + phones * BYTES_PER_PHONE;
    }

    /** Why {@code phones} phones do not fit in a heap of {@code maxHeapBytes}, if they do not. */
    public static Optional<String> problem(int phones, long maxHeapBytes) {
        long need = needed(phones);
        if (maxHeapBytes == Long.MAX_VALUE || need <= maxHeapBytes) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%d phones need about %d MB of heap and this JVM has %d MB: split the fleet "
                + "(--shard-count), or give the JVM more (the ./phone-emu launcher sizes it from --phones and --devices; "
                + "PHONE_EMU_JAVA_OPTS=-Xmx…)", phones, need >> 20, maxHeapBytes >> 20));
    }
}
