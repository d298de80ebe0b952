package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.ManufacturingCaStore;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.cucm.pki.internal.TrustChain;

/**
 * The simulated manufacturing CA's MICs, judged by OpenSSL (an independent chain builder) and by the registrar's and
 * CAPF's one rule ({@link TrustChain}): the same answers.
 */
class ManufacturingCaOpenSslTest {
    @TempDir
    Path tmp;

    @Test
    void openSslVerifiesAMicThroughItsIntermediateAgainstTheRootAndRefusesASelfSignedOne() throws Exception {
        ExternalTools.require("openssl");
        ManufacturingCa ca = ManufacturingCaStore.open(tmp.resolve("pool"));
        KeyMaterial mic = ca.issueWithNewKey("CP-8851-SEP001122334455", 2048, Clock.systemUTC());
        KeyMaterial selfSigned = TestPki.rsa("CN=CP-8851-SEP001122334455,O=Cisco Systems Inc.", 1024, 16);
        Path root = write("root.pem", ca.root());
        Path intermediate = write("intermediate.pem", ca.intermediate());
        Path good = write("mic.pem", mic.certificate());
        Path bad = write("self.pem", selfSigned.certificate());

        ExternalTools.Result ok = ExternalTools.run(List.of("openssl", "verify", "-CAfile", root.toString(), "-untrusted", intermediate.toString(),
                good.toString()), new byte[0], 30);
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains(good + ": OK");
        ExternalTools.Result refused = ExternalTools.run(List.of("openssl", "verify", "-CAfile", root.toString(), "-untrusted", intermediate.toString(),
                bad.toString()), new byte[0], 30);
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();

        java.time.Instant now = java.time.Instant.now();
        assertThat(mic.chain()).containsExactly(mic.certificate(), ca.intermediate());
        assertThat(TrustChain.chains(mic.chain(), List.of(ca.root()), now)).isTrue();
        assertThat(TrustChain.chains(selfSigned.certificate(), List.of(ca.root()), now)).isFalse();
        assertThat(TrustChain.chains(mic.chain(), List.of(), now)).isFalse();
    }

    @Test
    void theCaIsGeneratedOnceAndReadBackFromItsFolder() throws Exception {
        Path pool = tmp.resolve("kept");
        ManufacturingCa first = ManufacturingCaStore.open(pool);
        assertThat(Files.readString(pool.resolve("manufacturing-ca.pem"))).contains("PRIVATE KEY").contains("CERTIFICATE");
        assertThat(Files.readString(pool.resolve("manufacturing-root.pem"))).contains("PRIVATE KEY").contains("CERTIFICATE");
        // Another process (here: the files read without the in-process cache) finds the same root and issuing key.
        KeyMaterial onDisk = org.phoneemu.core.io.PemFile.readWithKey(pool.resolve("manufacturing-root.pem"));
        assertThat(onDisk.certificate()).isEqualTo(first.root());
        KeyMaterial issuing = org.phoneemu.core.io.PemFile.readWithKey(pool.resolve("manufacturing-ca.pem"));
        assertThat(issuing.certificate().getPublicKey()).isEqualTo(first.intermediate().getPublicKey());
        assertThat(first.root().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(first.root().getSubjectX500Principal().getName()).contains("CN=Cisco Root CA M2");
        assertThat(first.intermediate().getSubjectX500Principal().getName()).contains("CN=Cisco Manufacturing CA SHA2");
        assertThat(first.intermediate().getBasicConstraints()).isZero(); // pathLen 0: MICs directly below
    }

    private Path write(String name, java.security.cert.X509Certificate c) throws Exception {
        Path f = tmp.resolve(name);
        Files.writeString(f, PemFiles.toPem(c), StandardCharsets.US_ASCII);
        return f;
    }
}
