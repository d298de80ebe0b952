package org.phoneemu.fleet;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Security;

/**
 * The JCA provider the fleet's crypto runs on: the Amazon Corretto Crypto Provider (AWS-LC) where its native
 * library loads (linux x86-64), else the JDK's own providers. {@link #install()} says which.
 */
public final class CryptoProviders {
    private static final String NAMED_GROUPS = "jdk.tls.namedGroups";
    private static String inUse;

    private CryptoProviders() {
    }

    /** Puts ACCP first when it loads and is healthy; returns a line naming the provider in use. Idempotent. */
    public static synchronized String install() {
        if (inUse != null) {
            return inUse;
        }
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable err = accp.getLoadingError();
            if (err == null) {
                accp.assertHealthy();
                AmazonCorrettoCryptoProvider.install();
                if (System.getProperty(NAMED_GROUPS) == null) {
                    // TLS key exchange: JDK 17 computes X25519 in Java (half of a TVS handshake's CPU in a fleet
                    // profile); P-256 runs natively in ACCP. Offer it first; the other groups stay available.
                    System.setProperty(NAMED_GROUPS, "secp256r1,x25519,secp384r1,secp521r1,x448,ffdhe2048,ffdhe3072");
                }
                inUse = "Amazon Corretto Crypto Provider " + accp.getVersionStr() + " (AWS-LC)";
            } else {
                inUse = jdk("ACCP did not load: " + err.getMessage());
            }
        } catch (Throwable t) { // NoClassDefFoundError, UnsatisfiedLinkError, a failed self-test
            inUse = jdk("ACCP did not load: " + t);
        }
        return inUse;
    }

    /** Keeps the JDK's providers (for comparison runs). */
    public static synchronized String jdkOnly() {
        if (inUse == null) {
            inUse = jdk("ACCP not requested");
        }
        return inUse;
    }

    private static String jdk(String why) {
        return "JDK providers (" + Security.getProviders()[0].getName() + ", …; " + why + ")";
    }
}
