package org.phoneemu.fleet;

/** The parts of a boot whose latency the fleet records. */
public enum Phase {
    /** The CTL and ITL downloads (with the per-device then cluster-wide name fallbacks). */
    TFTP_TRUST_LISTS("tftp CTL+ITL"),
    /** One config download ({@code SEP<MAC>.cnf.xml.sgn}, its encrypted form, or {@code XMLDefault.cnf.xml}). */
    TFTP_CONFIG("tftp config"),
    /** A TVS query (TLS connection, request, answer). */
    TVS("TVS query"),
    /** An HTTPS request of a phone service (connection, certificate check, answer). */
    HTTPS("https request"),
    /** The phone's own work between downloads: parse, verify signatures, decide, write the flash. */
    VERIFY("phone work: verify, decide, flash"),
    /**
     * A registration to the CallManager group after a verified config (docs/SIP.md): the connection (a new mutual-TLS
     * handshake in a secure mode), the REGISTER and its final answer, failover included. Only with registration on.
     */
    REGISTRATION("sip registration"),
    /** A whole boot, from the reboot to the last decision. */
    BOOT("whole boot");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The tag of this phase's histograms in {@code latency.hlog}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
