package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.pki.KeyMaterial;

class MicPoolTest {
    @Test
    void keysAreKeptOnDiskAndEveryPhoneGetsItsOwnCertificate(@TempDir Path tmp) throws Exception {
        MicPool first = MicPool.open(tmp, 1024, 2, Clock.systemUTC());
        assertThat(first.generated()).isEqualTo(2);
        assertThat(tmp.resolve("rsa-1024").resolve("key-000.pem")).exists();

        MicPool again = MicPool.open(tmp, 1024, 2, Clock.systemUTC());
        assertThat(again.generated()).isZero();

        KeyMaterial a = again.issue("CP-7970-SEP00AB00000000");
        KeyMaterial b = again.issue("CP-7970-SEP00AB00000001");
        KeyMaterial c = again.issue("CP-7970-SEP00AB00000002");
        assertThat(a.certificate().getSubjectX500Principal().getName()).contains("CN=CP-7970-SEP00AB00000000");
        assertThat(a.certificate().getSerialNumber()).isNotEqualTo(b.certificate().getSerialNumber());
        // Two keys in turn: the third phone reuses the first key, with a certificate of its own.
        assertThat(c.certificate().getPublicKey()).isEqualTo(a.certificate().getPublicKey());
        assertThat(b.certificate().getPublicKey()).isNotEqualTo(a.certificate().getPublicKey());
        // Issued by the pool folder's manufacturing CA (kept beside the keys), not self-signed.
        assertThat(tmp.resolve("manufacturing-ca.pem")).exists();
        assertThat(tmp.resolve("manufacturing-root.pem")).exists();
        assertThat(again.ca()).isSameAs(first.ca());
        a.certificate().verify(again.ca().intermediate().getPublicKey());
        c.certificate().verify(again.ca().intermediate().getPublicKey());
        assertThat(a.certificate().getIssuerX500Principal()).isEqualTo(again.ca().intermediate().getSubjectX500Principal());
        // Each MIC carries the intermediate after it, the chain the phone presents (the root anchors it).
        assertThat(a.issuers()).containsExactly(again.ca().intermediate());
        again.ca().intermediate().verify(again.ca().root().getPublicKey());
    }

    @Test
    void aDamagedPoolFileIsReplaced(@TempDir Path tmp) throws Exception {
        MicPool.open(tmp, 1024, 1, Clock.systemUTC());
        Files.writeString(tmp.resolve("rsa-1024").resolve("key-000.pem"), "garbage");
        assertThat(MicPool.open(tmp, 1024, 1, Clock.systemUTC()).generated()).isEqualTo(1);
    }
}
