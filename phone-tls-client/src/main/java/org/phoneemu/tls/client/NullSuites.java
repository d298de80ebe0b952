package org.phoneemu.tls.client;

import java.security.Security;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.phoneemu.core.sip.SipTlsOffer;

/**
 * Whether this JVM can negotiate the integrity-only suites an Authenticated phone offers (docs/SIP.md §5). The JDK
 * lists {@code NULL} in the security property {@code jdk.tls.disabledAlgorithms}, read once when the first TLS context
 * is made; removing it makes NULL suites possible, never chosen: SunJSSE leaves them out of every default suite list,
 * so only an engine that names them (the Authenticated phone, the simulated CallManager's secured SIP port) can use them.
 */
public final class NullSuites {
    /** The security property the JDK reads its TLS exclusions from. */
    public static final String PROPERTY = "jdk.tls.disabledAlgorithms";

    private NullSuites() {
    }

    /**
     * Removes {@code NULL} from {@value #PROPERTY}, keeping the rest of the running JDK's list. Effective only before the
     * JVM's first TLS context: the launcher's {@code main} calls it first thing.
     */
    public static void allowInThisJvm() {
        String now = Security.getProperty(PROPERTY);
        if (now == null) {
            return;
        }
        Security.setProperty(PROPERTY, withoutNull(now));
    }

    /** {@code list} (a {@value #PROPERTY} value) without its {@code NULL} entry. */
    static String withoutNull(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(e -> !e.isEmpty() && !e.equalsIgnoreCase("NULL"))
                .collect(Collectors.joining(", "));
    }

    /** Whether {@link SipTlsOffer#NULL_SHA} can be negotiated in this JVM. */
    public static boolean negotiable() {
        return Holder.NEGOTIABLE;
    }

    /** What the phone says when it cannot offer NULL-SHA. */
    public static String unavailable() {
        return "this JVM cannot offer " + SipTlsOffer.NULL_SHA + " (its " + PROPERTY + " lists NULL; start through"
                + " ./phone-emu, whose main allows it): an Authenticated phone does not fall back to an encrypting suite";
    }

    private static final class Holder {
        static final boolean NEGOTIABLE = supported();

        private static boolean supported() {
            try {
                return Arrays.stream(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites())
                        .map(SipTlsOffer::ianaName)
                        .anyMatch(SipTlsOffer.NULL_SHA::equals);
            } catch (java.security.NoSuchAlgorithmException e) {
                return false;
            }
        }
    }
}
