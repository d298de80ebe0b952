package org.phoneemu.core.trustlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.dump.ShowItlPrinter;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.testing.TestPki;

/**
 * Rebuilds the CUCM 10 ITL printed in the seed documents ({@code show itl} on test10pub) with the same
 * names, serial sizes and key sizes, and checks the sizes docs/FORMATS.md §2 ("Worked example") derives from it
 * and the dump's lines.
 */
class SeedItlLayoutTest {
    private static final String DN = ",OU=tac,O=cisco,L=rtp,ST=nc,C=US";
    private static KeyMaterial pubCallManager;
    private static KeyMaterial capf;
    private static KeyMaterial pubTvs;
    private static KeyMaterial itlRecovery;
    private static KeyMaterial subTvs;

    @BeforeAll
    static void cluster() {
        pubCallManager = TestPki.rsa(bc("CN=test10pub.joemar2.lab"), 1024, 16);
        capf = TestPki.rsa(bc("CN=CAPF-75638ad9"), 1024, 16);
        pubTvs = TestPki.rsa(bc("CN=test10pub.joemar2.lab"), 1024, 16);
        // The seed prints "CN=ITLRECOVERY_test10pub.joemar2.lab;…" (68 characters) but gives it a length of
        // 66 (65 characters + NUL), and every size it prints (SIGNERID 157, header 344, record 1141) follows
        // from 66: the printed text is off, the lengths are consistent. Use a 65-character name.
        itlRecovery = TestPki.rsa(bc("CN=ITLRECOVERY_test10pub.joe2.lab"), 1024, 16);
        subTvs = TestPki.rsa(bc("CN=test10sub.joemar2.lab"), 2048, 16);
    }

    // BC takes names in DER order (C first); CUCM prints them CN first.
    private static String bc(String cn) {
        String[] parts = (cn + DN).split(",");
        StringBuilder sb = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            sb.append(parts[i]).append(i > 0 ? "," : "");
        }
        return sb.toString();
    }

    private static TrustList seedItl(KeyMaterial signer) throws Exception {
        byte[] bytes = new TrustListBuilder(TrustListKind.ITL)
                .nameStyle(NameStyle.CUCM)
                .timestamp(1393439067L)
                .addCertificate(Role.SAST, pubCallManager.certificate())
                .addCertificate(Role.TFTP, pubCallManager.certificate())
                .addCertificateHash(Role.CAPF, capf.certificate())
                .addCertificateHash(Role.TVS, pubTvs.certificate())
                .addCertificate(Role.SAST, itlRecovery.certificate())
                .addCertificateHash(Role.TVS, subTvs.certificate())
                .build(signer);
        return TrustList.parse(bytes);
    }

    @Test
    void headerAndRecordSizesMatchTheSeed() throws Exception {
        TrustList itl = seedItl(pubCallManager);
        assertThat(itl.file().headerLength()).isEqualTo(324);
        assertThat(itl.records()).extracting(TrustRecord::length).element(2).isEqualTo(439);
        assertThat(itl.records()).extracting(TrustRecord::length).element(3).isEqualTo(455);
        assertThat(itl.records()).extracting(TrustRecord::length).element(5).isEqualTo(713);
        assertThat(itl.signerRecord()).map(TrustRecord::index).contains(1);
        assertThat(itl.verifiesItself()).isTrue();
        // The SAST record is 431 bytes plus its certificate, as 1115 = 431 + 684 in the seed.
        int certLength = itl.records().get(0).certificateDer().orElseThrow().length();
        assertThat(itl.records().get(0).length()).isEqualTo(431 + certLength);
    }

    @Test
    void afterItlResetTheHeaderGrowsTo344() throws Exception {
        TrustList itl = seedItl(itlRecovery);
        assertThat(itl.file().headerLength()).isEqualTo(344);
        assertThat(itl.signerRecord()).map(TrustRecord::index).contains(5);
        assertThat(itl.verifiesItself()).isTrue();
        String dump = ShowItlPrinter.print(itl, Optional.empty(), ZoneOffset.UTC);
        List<String> seed = seed("seed/show-itl-test10pub-after-reset.txt");
        assertThat(itl.records().get(4).length()).isEqualTo(1141 - 692 + itl.records().get(4).certificateDer().orElseThrow().length());
        assertThat(dump.lines()).anyMatch(l -> l.startsWith("4 SIGNERNAME 66 CN=ITLRECOVERY_test10pub"));
        for (String line : List.of("HeaderLength: 344 (BYTES)", "3 SIGNERID 2 157", "7 SIGNATUREINFO 2 15", "12 SIGNATURE 128")) {
            assertThat(seed).contains(line);
            assertThat(dump.lines()).contains(line);
        }
    }

    @Test
    void dumpLinesMatchTheSeedForEveryLayoutField() throws Exception {
        TrustList itl = seedItl(pubCallManager);
        List<String> dump = ShowItlPrinter.print(itl, Optional.empty(), ZoneOffset.UTC).lines().toList();
        List<String> seed = seed("seed/show-itl-test10pub.txt");
        List<String> layoutLines = List.of(
                "The checksum value of the ITL file:",
                "Parse ITL File",
                "----------------",
                "Version: 1.2",
                "HeaderLength: 324 (BYTES)",
                "BYTEPOS TAG LENGTH VALUE",
                "------- --- ------ -----",
                "3 SIGNERID 2 139",
                "4 SIGNERNAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "6 CANAME 57 CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "7 SIGNATUREINFO 2 15",
                "8 DIGESTALGORTITHM 1",
                "9 SIGNATUREALGOINFO 2 8",
                "10 SIGNATUREALGORTITHM 1",
                "11 SIGNATUREMODULUS 1",
                "12 SIGNATURE 128",
                "14 FILENAME 12",
                "15 TIMESTAMP 4",
                "ITL Record #:1",
                "ITL Record #:6",
                "----",
                "1 RECORDLENGTH 2 439",
                "1 RECORDLENGTH 2 455",
                "1 RECORDLENGTH 2 713",
                "2 DNSNAME 2",
                "3 SUBJECTNAME 49 CN=CAPF-75638ad9;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "3 SUBJECTNAME 57 CN=test10sub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "4 FUNCTION 2 System Administrator Security Token",
                "4 FUNCTION 2 TFTP",
                "4 FUNCTION 2 CAPF",
                "4 FUNCTION 2 TVS",
                "5 ISSUERNAME 49 CN=CAPF-75638ad9;OU=tac;O=cisco;L=rtp;ST=nc;C=US",
                "7 PUBLICKEY 140",
                "7 PUBLICKEY 270",
                "8 SIGNATURE 128",
                "8 SIGNATURE 256",
                "12 HASH ALGORITHM 1 SHA-1",
                "(SHA1 Hash HEX)",
                "This etoken was used to sign the ITL file.",
                "This etoken was not used to sign the ITL file.",
                "The ITL file was verified successfully.");
        for (String line : layoutLines) {
            assertThat(seed).as("seed has the line").contains(line);
            assertThat(dump).as("dump has the line").contains(line);
        }
        // Signature bytes: eight to a line, lower-case hex without leading zeros, as in the seed.
        int sig = dump.indexOf("12 SIGNATURE 128");
        assertThat(dump.subList(sig + 1, sig + 17)).allMatch(l -> l.matches("([0-9a-f]{1,2} ){7}[0-9a-f]{1,2}"));
        assertThat(dump.get(sig + 17)).isEqualTo("14 FILENAME 12");
        assertThat(dump.stream().filter(l -> l.matches("6 SERIALNUMBER 16 ([0-9A-F]{2}:){15}[0-9A-F]{2}"))).hasSize(6);
    }

    private static List<String> seed(String resource) throws IOException {
        try (InputStream in = SeedItlLayoutTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
