package org.phoneemu.fleet;

import java.lang.management.ManagementFactory;

/**
 * CPU time used by this process so far (all threads, user + system). On a machine shared with other work, wall
 * time says little; CPU seconds per phase say what the fleet itself cost.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /** Seconds of CPU, or -1 where the JVM does not tell. */
    public static double seconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1e9;
        }
        return -1;
    }
}
