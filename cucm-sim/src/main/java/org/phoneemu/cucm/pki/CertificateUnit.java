package org.phoneemu.cucm.pki;

import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.trustlist.Role;

/**
 * A node's own certificates, named as CUCM's {@code set cert regen <unit>} spells them. Each node has one of
 * each; the CAPF and the eToken belong to the cluster and are not units.
 */
public enum CertificateUnit {
    /** callmanager.pem: signs the node's ITL and configuration files (CCM+TFTP). */
    CALLMANAGER("CallManager", Role.CCM_TFTP),
    /** TVS.pem: the Trust Verification Service's TLS certificate. */
    TVS("TVS", Role.TVS),
    /** tomcat.pem: the HTTPS certificate of the node's web services (directory, services). */
    TOMCAT("tomcat", Role.APP_SERVER),
    /**
     * tomcat-ECDSA.pem: the EC certificate of the TFTP service's HTTPS provisioning port (6971), listed in the node's
     * ITL with the TFTP function when the cluster provisions over HTTPS (docs/PROTOCOLS.md §4; the name is CUCM's
     * Tomcat-ECDSA unit, its use on 6971 **Guessed**).
     */
    TOMCAT_ECDSA("tomcat-ECDSA", Role.TFTP),
    /** ITLRecovery.p12: the publisher's is the second SAST of every ITL and the key of {@code utils itl reset}. */
    ITLRECOVERY("ITLRecovery", Role.SAST);

    private final String cliName;
    private final Role tvsRole;

    CertificateUnit(String cliName, Role tvsRole) {
        this.cliName = cliName;
        this.tvsRole = tvsRole;
    }

    /** The unit's name as CUCM prints it ("CallManager", "TVS", "tomcat", "ITLRecovery"). */
    public String cliName() {
        return cliName;
    }

    /** The role TVS reports for this certificate in a VERIFY response. */
    public Role tvsRole() {
        return tvsRole;
    }

    /** The unit named on a command line, ignoring case ({@code callmanager}, {@code TVS}, {@code Tomcat}). */
    public static Optional<CertificateUnit> fromCli(String name) {
        for (CertificateUnit u : values()) {
            if (u.cliName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
