package org.phoneemu.core.capf;

import org.phoneemu.core.text.TerminalText;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Would the phone install this certificate as its LSC? It must name the phone (exactly one {@code CN}, the device name, and a
 * subject without control characters), be an end-entity certificate (not a CA), carry the key the phone just
 * generated, be signed by the CAPF server the phone authenticated (its certificate is a CAPF record of the trust
 * lists), and be valid now. A certificate that fails any check is not written to the flash.
 */
public final class IssuedLscCheck {
    private IssuedLscCheck() {
    }

    /** Why {@code issued} is refused, or empty when it may be installed. Texts are safe to print: no control characters. */
    public static Optional<String> problem(X509Certificate issued, String deviceName, PublicKey generated, X509Certificate capf,
                                           Instant now) {
        String subject = issued.getSubjectX500Principal().getName(X500Principal.RFC2253);
        if (hasControl(subject)) {
            return Optional.of("the certificate's subject has control characters (" + TerminalText.line(subject) + ")");
        }
        Optional<String> cn = commonName(issued);
        if (cn.isEmpty() || !cn.get().equalsIgnoreCase(deviceName)) {
            return Optional.of("the certificate is issued to " + cn.map(c -> "CN=" + c).orElse("no single common name (" + TerminalText.line(subject) + ")")
                    + ", not to this phone (" + deviceName + ")");
        }
        if (issued.getBasicConstraints() >= 0) {
            return Optional.of("the certificate is a CA certificate (basicConstraints CA:TRUE), not an LSC");
        }
        if (!Arrays.equals(issued.getPublicKey().getEncoded(), generated.getEncoded())) {
            return Optional.of("the certificate does not carry the key the phone generated");
        }
        try {
            issued.verify(capf.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.of("the certificate is not signed by the CAPF server's key (issuer "
                    + TerminalText.line(issued.getIssuerX500Principal().getName()) + ")");
        }
        try {
            issued.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return Optional.of("the certificate is not valid now (" + issued.getNotBefore().toInstant() + " to "
                    + issued.getNotAfter().toInstant() + ")");
        }
        return Optional.empty();
    }

    /** The subject's only CN; empty when it has none or several (which one a peer reads differs, so trust neither). */
    private static Optional<String> commonName(X509Certificate c) {
        java.util.List<String> cns = new java.util.ArrayList<>();
        try {
            for (Rdn r : new LdapName(c.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns()) {
                javax.naming.directory.Attribute a = r.toAttributes().get("CN");
                for (int i = 0; a != null && i < a.size(); i++) {
                    cns.add(String.valueOf(a.get(i)));
                }
            }
        } catch (javax.naming.NamingException e) {
            return Optional.empty();
        }
        return cns.size() == 1 ? Optional.of(cns.get(0)) : Optional.empty();
    }

    private static boolean isControl(int ch) {
        return ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0);
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(IssuedLscCheck::isControl);
    }
}
