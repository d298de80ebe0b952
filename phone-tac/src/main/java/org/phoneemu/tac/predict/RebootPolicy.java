package org.phoneemu.tac.predict;

/** When the phones reboot during a change. Every policy also reboots them once after the last step. */
public enum RebootPolicy {
    /** When the cluster resets them, as CUCM does after a CallManager or TVS regeneration, a rename, a restore or {@code utils reset phones}. */
    CLUSTER_RESETS,
    /** Only at {@code reboot phones} steps (a scenario's {@code boot: all}). */
    EXPLICIT
}
