package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Json;
import org.phoneemu.core.testing.Vectors;

/** The dump, verify and decrypt verbs on every interop vector, through the real CLI entry point. */
class CodecCommandsTest {
    static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    static String v(String rel) {
        return Vectors.interop(rel).toString();
    }

    @TestFactory
    Stream<DynamicTest> dumpEveryInteropVector() throws Exception {
        Map<String, Object> root = Json.object(Json.parse(Files.readString(Vectors.interop("manifest.json"))));
        return Json.array(root.get("testCases")).stream().map(Json::object).map(c -> DynamicTest.dynamicTest(
                (String) c.get("file"), () -> {
                    String file = (String) c.get("file");
                    Cli.Result r = run("dump", v(file));
                    boolean truncated = Json.array(c.get("flags")).contains("truncated");
                    if (truncated) {
                        assertThat(r.code()).isEqualTo(2);
                        assertThat(r.err().lines()).hasSize(1);
                        assertThat(r.err()).contains("malformed file at byte").doesNotContain("Exception");
                        return;
                    }
                    assertThat(r.out()).contains("The checksum value of the ")
                            .contains((String) c.get("md5") + "(MD5)")
                            .contains((String) c.get("sha1") + "(SHA1)")
                            .contains("HeaderLength: ")
                            .contains("BYTEPOS TAG LENGTH VALUE");
                    if (file.endsWith(".tlv")) {
                        boolean valid = "valid".equals(c.get("result"));
                        assertThat(r.code()).isEqualTo(valid ? 0 : 1);
                        String kind = file.startsWith("ctl/") ? "CTL" : "ITL";
                        assertThat(r.out()).contains(valid ? "The " + kind + " file was verified successfully."
                                : "Verification of the " + kind + " file failed.");
                        assertThat(r.out()).contains(kind + " Record #:1");
                    } else {
                        assertThat(r.code()).isZero();
                        assertThat(r.out()).containsPattern("Body: \\d+ bytes");
                    }
                }));
    }

    @Test
    void dumpMarksTheSigningEtoken() {
        Cli.Result plain = run("dump", v("itl/ITLFile.tlv"));
        Cli.Result recovered = run("dump", v("itl/ITLFile-signed-by-itlrecovery.tlv"));
        // Record 1 is the CallManager SAST, record 5 the ITLRECOVERY SAST.
        assertThat(plain.out()).containsSubsequence("ITL Record #:1", "This etoken was used to sign the ITL file.",
                "ITL Record #:5", "This etoken was not used to sign the ITL file.");
        // That file lists the ITLRECOVERY SAST first and the CallManager SAST fifth.
        assertThat(recovered.out()).containsSubsequence("ITL Record #:1", "CN=ITLRECOVERY_", "This etoken was used to sign the ITL file.",
                "ITL Record #:5", "CN=test10pub", "This etoken was not used to sign the ITL file.");
    }

    @Test
    void verifyFollowsTheTrustRules() {
        String itl = v("itl/ITLFile.tlv");
        assertThat(run("verify", v("itl/ITLFile-signed-by-itlrecovery.tlv"), "--trust", itl).code()).isZero();
        assertThat(run("verify", v("itl/ITLFile.tlv"), "--trust", itl).code()).isZero();
        Cli.Result regen = run("verify", v("itl/ITLFile-after-callmanager-regen.tlv"), "--trust", itl);
        assertThat(regen.code()).isEqualTo(1);
        assertThat(regen.out()).contains("SIGNER_UNKNOWN");
        assertThat(run("verify", v("itl/ITLFile-rogue.tlv"), "--trust", itl).code()).isEqualTo(1);
        assertThat(run("verify", v("itl/ITLFile-tampered.tlv"), "--trust", itl).code()).isEqualTo(1);
        assertThat(run("verify", v("itl/ITLFile-truncated.tlv"), "--trust", itl).code()).isEqualTo(2);
        Cli.Result config = run("verify", v("sgn/SEP001122334455.cnf.xml.sgn"), "--trust", itl);
        assertThat(config.code()).isZero();
        assertThat(config.out()).contains("Accepted: signed by record #2 (CCM+TFTP");
        assertThat(run("verify", v("sgn/SEP001122334455-tampered.cnf.xml.sgn"), "--trust", itl).out()).contains("BAD_SIGNATURE");
        // The regenerated key's config verifies only once the new ITL is held.
        String regenConfig = v("sgn/SEP001122334455-signed-by-regenerated-callmanager.cnf.xml.sgn");
        assertThat(run("verify", regenConfig, "--trust", itl).code()).isEqualTo(1);
        assertThat(run("verify", regenConfig, "--trust", v("itl/ITLFile-after-callmanager-regen.tlv")).code()).isZero();
        assertThat(run("verify", v("enc/SEP001122334455.cnf.xml.enc.sgn"), "--trust", itl).code()).isZero();
        assertThat(run("verify", v("enc/SEP001122334455.cnf.xml.sgn"), "--trust", itl).code()).isZero();
        // CTL: the same eToken signs the CTL after a hostname change.
        assertThat(run("verify", v("ctl/CTLFile-after-hostname-change.tlv"), "--trust", v("ctl/CTLFile.tlv")).code()).isZero();
        // With only a CTL, its CCM+TFTP record vouches for the ITL.
        assertThat(run("verify", itl, "--trust", v("ctl/CTLFile.tlv")).code()).isZero();
        // A config is not accepted on the strength of a SAST-only match: the eToken is no config signer.
        assertThat(run("verify", v("sgn/SEP001122334455.cnf.xml.sgn"), "--trust", v("itl/ITLFile-rogue.tlv")).code()).isEqualTo(1);
    }

    @Test
    void decryptPrintsThePlaintextOrOneLineErrors(@TempDir Path tmp) throws Exception {
        Cli.Result ok = run("decrypt", v("enc/SEP001122334455.cnf.xml.enc.sgn"), "--key", v("certs/phone-lsc.pem"));
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).isEqualTo(Files.readString(Vectors.interop("sgn/SEP001122334455.cnf.xml")));

        Cli.Result wrong = run("decrypt", v("enc/SEP001122334455.cnf.xml.enc.sgn"), "--key", v("certs/rogue.pem"));
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err().lines()).hasSize(1);
        assertThat(wrong.err()).contains("encrypted to another certificate");

        Path notPem = Files.writeString(tmp.resolve("junk.pem"), "not a pem");
        Cli.Result junk = run("decrypt", v("enc/SEP001122334455.cnf.xml.enc.sgn"), "--key", notPem.toString());
        assertThat(junk.code()).isEqualTo(2);
        assertThat(junk.err()).contains("no private key").doesNotContain("at org.");

        Cli.Result notEncrypted = run("decrypt", v("sgn/SEP001122334455.cnf.xml.sgn"), "--key", v("certs/phone-lsc.pem"));
        assertThat(notEncrypted.code()).isEqualTo(2);

        // A flipped bit in the ciphertext: the file is still parseable, decryption must refuse it cleanly.
        byte[] enc = Files.readAllBytes(Vectors.interop("enc/SEP001122334455.cnf.xml.enc.sgn"));
        enc[enc.length - 40] ^= 1;
        Path flipped = Files.write(tmp.resolve("flipped.enc.sgn"), enc);
        Cli.Result bad = run("decrypt", flipped.toString(), "--key", v("certs/phone-lsc.pem"));
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).containsAnyOf("hash", "padding");
    }

    @Test
    void userMistakesAreOneLineErrors(@TempDir Path tmp) throws Exception {
        Cli.Result missing = run("dump", tmp.resolve("nope.tlv").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().trim()).endsWith("no such file");
        assertThat(run("dump", tmp.toString()).err()).contains(": is a folder, not a file");
        Path garbage = Files.write(tmp.resolve("garbage.tlv"), new byte[] {1, 0, 2, 1, 2, 2, 0, 2, 0, 99});
        Cli.Result g = run("dump", garbage.toString());
        assertThat(g.code()).isEqualTo(2);
        assertThat(g.err()).contains("malformed file at byte").doesNotContain("Exception");
        assertThat(run("verify", v("itl/ITLFile.tlv")).code()).isEqualTo(2);
        assertThat(run("--help").out()).contains("dump", "verify", "decrypt");
        assertThat(run("dump", "--help").out()).contains("show itl");
    }
}
