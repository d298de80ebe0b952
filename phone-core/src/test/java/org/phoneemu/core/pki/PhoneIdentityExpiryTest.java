package org.phoneemu.core.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The phone's own certificate past its end date (docs/TRUST-RULES.md §12 rule 8, guessed): the MIC stands in for an expired LSC. */
class PhoneIdentityExpiryTest {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    static KeyMaterial cert(String cn, Instant notAfter) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + cn);
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(7), Date.from(START), Date.from(notAfter), name, kp.getPublic());
        return new KeyMaterial(kp.getPrivate(), new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()))));
    }

    @Test
    void anExpiredLscGivesWayToAValidMicAndThePhoneSaysSo() throws Exception {
        KeyMaterial mic = cert("CP-7970-SEP001122334455", START.plusSeconds(10 * 86400));
        KeyMaterial lsc = cert("CP-7970-SEP001122334455-LSC", START.plusSeconds(86400));
        PhoneIdentity id = new PhoneIdentity(mic, Optional.of(lsc));

        Instant before = START.plusSeconds(3600);
        assertThat(id.active(before)).isSameAs(lsc);
        assertThat(id.expiryNote(before)).isEmpty();
        assertThat(id.certHash(before)).isEqualTo(id.certHash());

        Instant after = START.plusSeconds(2 * 86400);
        assertThat(id.active(after)).isSameAs(mic);
        assertThat(id.activeName(after)).isEqualTo("MIC");
        assertThat(id.certHash(after)).isEqualTo(Certificates.md5Hex(mic.certificate()));
        assertThat(id.expiryNote(after)).hasValueSatisfying(n -> assertThat(n).startsWith("SECD: WARN: the LSC")
                .contains("expired on " + lsc.certificate().getNotAfter().toInstant() + "; using the MIC").endsWith(Certificates.EXPIRY_ASSUMED));

        // Both past their end dates: the LSC is still what the phone has to present, and it says so.
        Instant late = START.plusSeconds(20 * 86400);
        assertThat(id.active(late)).isSameAs(lsc);
        assertThat(id.expiryNote(late)).hasValueSatisfying(n -> assertThat(n).contains("presenting it anyway"));
    }
}
