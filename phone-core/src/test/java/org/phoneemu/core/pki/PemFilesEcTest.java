package org.phoneemu.core.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** An EC private key (the HTTPS provisioning certificate's) survives a PEM round trip, curve included. */
class PemFilesEcTest {
    @Test
    void anEcKeyIsWrittenAsPkcs8AndReadBack() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();

        String pem = PemFiles.toPem(pair.getPrivate());

        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PemFiles.parsePrivateKey(pem, "ec.pem").getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }
}
