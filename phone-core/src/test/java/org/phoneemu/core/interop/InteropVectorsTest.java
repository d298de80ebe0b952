package org.phoneemu.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.phoneemu.core.encryption.DecryptionException;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.testing.Json;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.TrustList;

/** Runs the manifest of the vectors made by an independent implementation (test-vectors/interop). */
class InteropVectorsTest {

    @TestFactory
    Stream<DynamicTest> everyManifestCase() throws Exception {
        Path manifest = Vectors.interop("manifest.json");
        Map<String, Object> root = Json.object(Json.parse(Files.readString(manifest)));
        List<Object> cases = Json.array(root.get("testCases"));
        assertThat(cases).hasSize(((Long) root.get("numberOfTests")).intValue());
        return cases.stream().map(Json::object).map(c -> DynamicTest.dynamicTest(
                "tcId " + c.get("tcId") + " " + c.get("file") + " (" + c.get("result") + ")", () -> run(c)));
    }

    private static void run(Map<String, Object> c) throws Exception {
        String file = (String) c.get("file");
        byte[] bytes = Vectors.read(Vectors.interop(file));
        assertThat((long) bytes.length).isEqualTo(c.get("length"));
        boolean valid = "valid".equals(c.get("result"));
        boolean trustList = file.endsWith(".tlv");

        if (!valid) {
            // Invalid cases are refused: either the parser rejects them, or the signature does not verify.
            try {
                if (trustList) {
                    TrustList list = TrustList.parse(bytes);
                    assertThat(list.verifiesItself()).as("tampered trust list must not verify").isFalse();
                } else {
                    SignedFile f = SignedFile.parse(bytes);
                    KeyMaterial signer = PemFile.read(Vectors.interop("certs/callmanager.pem"));
                    assertThat(f.verifySignature(signer.certificate().getPublicKey())).isFalse();
                }
            } catch (MalformedFileException expected) {
                assertThat(expected.offset()).isBetween(0, bytes.length);
            }
            return;
        }

        SignedFile parsed = SignedFile.parse(bytes);
        assertThat(parsed.md5Hex()).isEqualTo(c.get("md5"));
        assertThat(parsed.sha1Hex()).isEqualTo(c.get("sha1"));
        KeyMaterial signer = PemFile.read(Vectors.interop((String) c.get("signer")));
        assertThat(parsed.verifySignature(signer.certificate().getPublicKey()))
                .as("signature verifies with " + c.get("signer")).isTrue();

        if (trustList) {
            TrustList list = TrustList.parse(bytes);
            assertThat(list.verifiesItself()).as("verifies with its own signer record").isTrue();
            assertThat(list.signerRecord().orElseThrow().matches(signer.certificate())).isTrue();
            List<Object> roles = Json.array(c.get("records"));
            if (!roles.isEmpty()) {
                assertThat(list.records()).extracting(r -> r.roleName().equals("System Administrator Security Token") ? "SAST" : r.roleName())
                        .containsExactlyElementsOf(roles.stream().map(String.class::cast).toList());
            }
        }
        if (c.containsKey("plaintext")) {
            KeyMaterial device = PemFile.readWithKey(Vectors.interop((String) c.get("deviceKey")));
            byte[] plain = EncryptedConfig.decrypt(parsed, device.privateKey());
            assertThat(new String(plain, StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(Vectors.interop((String) c.get("plaintext"))));
            KeyMaterial other = PemFile.readWithKey(Vectors.interop("certs/rogue.pem"));
            assertThatThrownBy(() -> EncryptedConfig.decrypt(parsed, other.privateKey()))
                    .isInstanceOf(DecryptionException.class)
                    .satisfies(e -> assertThat(((DecryptionException) e).reason()).isIn(
                            DecryptionException.Reason.WRONG_KEY, DecryptionException.Reason.BAD_PADDING));
        }
        if (file.endsWith(".cnf.xml.sgn") && !file.startsWith("enc/")) {
            String body = new String(parsed.body(), StandardCharsets.UTF_8);
            if (c.get("comment").toString().contains("body equals")) {
                assertThat(body).isEqualTo(Files.readString(Vectors.interop("sgn/SEP001122334455.cnf.xml")));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> truncatedAtEveryOffsetIsATypedError() {
        return Stream.of("itl/ITLFile.tlv", "ctl/CTLFile.tlv", "enc/SEP001122334455.cnf.xml.enc.sgn")
                .map(f -> DynamicTest.dynamicTest(f, () -> {
                    byte[] full = Vectors.read(Vectors.interop(f));
                    for (int n = 0; n < full.length; n++) {
                        byte[] cut = java.util.Arrays.copyOf(full, n);
                        try {
                            if (f.endsWith(".tlv")) {
                                // A cut on a record boundary is well formed, but its signature must fail.
                                assertThat(TrustList.parse(cut).verifiesItself()).as("cut at " + n).isFalse();
                                continue;
                            } else {
                                SignedFile.parse(cut);
                                // A cut body keeps the header parseable; the signature must then fail.
                                assertThat(n).isGreaterThanOrEqualTo(SignedFile.parse(full).headerLength());
                                continue;
                            }
                        } catch (MalformedFileException expected) {
                            assertThat(expected.offset()).isBetween(0, n);
                        }
                    }
                }));
    }
}
