package org.phoneemu.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.pki.PemFiles.PemException;
import org.phoneemu.core.testing.Vectors;

/** PEM files read by path: what each read requires, and a file that cannot be read in the user's words. */
class PemFileTest {
    @TempDir
    Path dir;

    private final KeyMaterial callManager = read("certs/callmanager.pem");

    private static KeyMaterial read(String relative) {
        try {
            return PemFile.readWithKey(Vectors.interop(relative));
        } catch (PemException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void aKeyAndCertificateAreReadBack() throws Exception {
        Path f = Files.writeString(dir.resolve("cm.pem"), PemFiles.toPem(callManager.privateKey(), callManager.certificate()));

        KeyMaterial back = PemFile.readWithKey(f);

        assertThat(back.certificate()).isEqualTo(callManager.certificate());
        assertThat(back.privateKey().getEncoded()).isEqualTo(callManager.privateKey().getEncoded());
        assertThat(PemFile.readPrivateKey(f).getEncoded()).isEqualTo(callManager.privateKey().getEncoded());
    }

    @Test
    void aCertificateAloneIsEnoughForReadButNotForReadWithKey() throws Exception {
        Path f = Files.writeString(dir.resolve("cert.pem"), PemFiles.toPem(callManager.certificate()));

        assertThat(PemFile.read(f).privateKey()).isNull();
        assertThat(PemFile.read(f).certificate()).isEqualTo(callManager.certificate());
        assertThatThrownBy(() -> PemFile.readWithKey(f)).isInstanceOf(PemException.class)
                .hasMessage(f + " holds no private key");
        assertThatThrownBy(() -> PemFile.readPrivateKey(f)).isInstanceOf(PemException.class)
                .hasMessage(f + " holds no private key");
    }

    @Test
    void aKeyAloneIsEnoughForReadPrivateKeyOnly() throws Exception {
        Path f = Files.writeString(dir.resolve("key.pem"), PemFiles.toPem(callManager.privateKey()));

        assertThat(PemFile.readPrivateKey(f).getEncoded()).isEqualTo(callManager.privateKey().getEncoded());
        assertThatThrownBy(() -> PemFile.read(f)).isInstanceOf(PemException.class)
                .hasMessage(f + " holds no certificate");
    }

    @Test
    void aFileThatCannotBeReadIsNamedInTheUsersWords() {
        Path missing = dir.resolve("missing.pem");

        assertThatThrownBy(() -> PemFile.read(missing)).isInstanceOf(PemException.class)
                .hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> PemFile.readPrivateKey(dir)).isInstanceOf(PemException.class)
                .hasMessage(dir + ": is a folder, not a file");
    }
}
