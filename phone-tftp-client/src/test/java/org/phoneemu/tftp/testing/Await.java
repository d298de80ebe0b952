package org.phoneemu.tftp.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition from the test thread (never from an event loop). */
public final class Await {
    private Await() {
    }

    public static void until(BooleanSupplier condition, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Gives in-flight datagrams time to land, for assertions that something did NOT happen. */
    public static void quiet(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
