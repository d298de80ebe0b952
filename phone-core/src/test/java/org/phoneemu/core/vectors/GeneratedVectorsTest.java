package org.phoneemu.core.vectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.phoneemu.core.dump.ShowItlPrinter;
import org.phoneemu.core.encryption.DecryptionException;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.testing.Json;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.internal.RecordTag;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.SignerCheck;
import org.phoneemu.core.trustlist.SignerVerdict;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * Runs the manifest of the project's own vectors ({@code test-vectors/generated}, written by
 * {@link VectorGenerator}): valid cases parse and verify with their signer, invalid cases are refused the way
 * their flags say, hashes and lengths match, the encrypted config decrypts to its plaintext.
 */
class GeneratedVectorsTest {
    /** Flags of invalid cases the parser must refuse with {@link MalformedFileException}. */
    private static final Set<String> REFUSED_BY_PARSER = Set.of(
            "truncated", "record-length-past-end", "record-over-declared-length", "header-length-past-end",
            "header-length-cuts-tlv", "unknown-header-tag", "duplicate-header-tag", "missing-signature-tag",
            "signature-size-mismatch", "modulus-index-out-of-range", "tlv-crosses-container", "over-64k");
    /** The tag a refusal must name, for the flags where the faulty tag is unambiguous. */
    private static final Map<String, Integer> FAULT_TAG = Map.of(
            "record-length-past-end", 1, "header-length-past-end", 2, "header-length-cuts-tlv", 15,
            "unknown-header-tag", 29, "duplicate-header-tag", 8, "missing-signature-tag", 12,
            "modulus-index-out-of-range", 11);
    /** Flags of invalid cases that parse but whose signature must not verify. */
    private static final Set<String> FAILS_SIGNATURE = Set.of("tampered", "tampered-signature", "truncated-body");

    private static Map<String, Object> manifest;
    private static List<Map<String, Object>> cases;

    @BeforeAll
    static void readManifest() throws IOException {
        manifest = Json.object(Json.parse(Files.readString(dir().resolve("manifest.json"))));
        cases = Json.array(manifest.get("testCases")).stream().map(Json::object).toList();
    }

    private static Path dir() {
        return Vectors.root().resolve("generated");
    }

    private static byte[] read(String relative) {
        return Vectors.read(dir().resolve(relative));
    }

    private static KeyMaterial pem(String relative) throws PemFiles.PemException {
        return PemFile.readWithKey(dir().resolve(relative));
    }

    @SuppressWarnings("unchecked")
    private static List<String> flags(Map<String, Object> c) {
        return (List<String>) (List<?>) Json.array(c.get("flags"));
    }

    @Test
    void manifestIsConsistent() throws IOException {
        assertThat(cases).hasSize(((Long) manifest.get("numberOfTests")).intValue());
        Map<String, Object> notes = Json.object(manifest.get("flagNotes"));
        Set<String> referenced = new TreeSet<>();
        for (int i = 0; i < cases.size(); i++) {
            Map<String, Object> c = cases.get(i);
            assertThat(c.get("tcId")).as("tcIds run 1..n").isEqualTo((long) i + 1);
            assertThat(c.get("result")).isIn("valid", "invalid", "acceptable");
            assertThat(flags(c)).as("tcId %s has flags", c.get("tcId")).isNotEmpty();
            assertThat(notes.keySet()).as("every flag of tcId %s is described in flagNotes", c.get("tcId"))
                    .containsAll(flags(c));
            for (String key : List.of("file", "signer", "plaintext", "deviceKey", "trustList")) {
                if (c.get(key) != null) {
                    referenced.add((String) c.get(key));
                }
            }
        }
        assertThat(cases).extracting(c -> c.get("file")).doesNotHaveDuplicates();
        // Nothing in the data folders that the manifest does not account for: they are generated, never edited.
        // certs/ also holds the keys of records (TVS, CAPF, ...) that sign nothing.
        Set<String> present = new TreeSet<>();
        for (String folder : List.of("itl", "ctl", "sgn", "enc")) {
            try (Stream<Path> s = Files.list(dir().resolve(folder))) {
                s.forEach(p -> present.add(folder + "/" + p.getFileName()));
            }
        }
        assertThat(present).containsExactlyInAnyOrderElementsOf(
                referenced.stream().filter(f -> !f.startsWith("certs/")).toList());
        assertThat(referenced).allSatisfy(f -> assertThat(dir().resolve(f)).isRegularFile());
    }

    @TestFactory
    Stream<DynamicTest> everyManifestCase() {
        return cases.stream().map(c -> DynamicTest.dynamicTest(
                "tcId " + c.get("tcId") + " " + c.get("file") + " (" + c.get("result") + ", " + String.join(" ", flags(c)) + ")",
                () -> run(c)));
    }

    private static void run(Map<String, Object> c) throws Exception {
        String file = (String) c.get("file");
        byte[] bytes = read(file);
        assertThat((long) bytes.length).as("length").isEqualTo(c.get("length"));
        assertThat(hex("MD5", bytes)).as("md5").isEqualTo(c.get("md5"));
        assertThat(hex("SHA-1", bytes)).as("sha1").isEqualTo(c.get("sha1"));
        switch ((String) c.get("result")) {
            case "valid" -> valid(c, file, bytes);
            case "invalid" -> invalid(c, file, bytes);
            default -> acceptable(c, file, bytes);
        }
    }

    private static SignedFile parse(String file, byte[] bytes) throws MalformedFileException {
        return file.endsWith(".tlv") ? TrustList.parse(bytes, file).file() : SignedFile.parse(bytes);
    }

    private static void valid(Map<String, Object> c, String file, byte[] bytes) throws Exception {
        List<String> flags = flags(c);
        KeyMaterial signer = pem((String) c.get("signer"));
        SignedFile parsed = parse(file, bytes);
        assertThat(parsed.md5Hex()).isEqualTo(c.get("md5"));
        assertThat(parsed.sha1Hex()).isEqualTo(c.get("sha1"));
        assertThat(parsed.verifySignature(signer.certificate().getPublicKey()))
                .as("signature verifies with " + c.get("signer")).isTrue();
        PublicKey other = pem(c.get("signer").equals("certs/rogue.pem") ? "certs/callmanager.pem" : "certs/rogue.pem")
                .certificate().getPublicKey();
        assertThat(parsed.verifySignature(other)).as("signature does not verify with another key").isFalse();

        for (DigestAlgorithm d : DigestAlgorithm.values()) {
            if (flags.contains(d.displayName().replace("-", "").toLowerCase())) {
                assertThat(parsed.digest()).isEqualTo(d);
            }
        }
        for (int bits : new int[] {1024, 2048, 4096}) {
            if (flags.contains("rsa" + bits)) {
                assertThat(parsed.signature().length() * 8).isEqualTo(bits);
            }
        }
        if (c.containsKey("signerVersion")) {
            String expected = (String) c.get("signerVersion");
            assertThat(parsed.signerVersion().map(Object::toString)).isEqualTo(
                    "none".equals(expected) ? Optional.empty() : Optional.of(expected));
        }

        if (file.endsWith(".tlv")) {
            trustList(c, file, bytes, signer, flags);
        }
        String plaintextFile = (String) c.get("plaintext");
        String deviceKey = (String) c.get("deviceKey");
        if (plaintextFile != null && deviceKey != null) {
            byte[] plain = EncryptedConfig.decrypt(parsed, pem(deviceKey).privateKey());
            assertThat(plain).isEqualTo(read(plaintextFile));
            assertThatThrownBy(() -> EncryptedConfig.decrypt(parsed, pem("certs/rogue.pem").privateKey()))
                    .isInstanceOf(DecryptionException.class);
        } else if (plaintextFile != null) {
            assertThat(parsed.body()).as("body equals " + plaintextFile).isEqualTo(read(plaintextFile));
        }
        if (flags.contains("stub")) {
            String body = new String(parsed.body(), StandardCharsets.UTF_8);
            assertThat(body).contains("<fullConfig>false</fullConfig>", "<encrConfig>true</encrConfig>",
                    "<certHash>" + Certificates.md5Hex(pem(deviceKey).certificate()) + "</certHash>");
        }
        if (c.get("trustList") != null) {
            TrustList holder = TrustList.parse(read((String) c.get("trustList")));
            SignerVerdict verdict = SignerCheck.check(parsed, List.of(holder),
                    file.endsWith(".tlv") ? SignerCheck.TRUST_LIST_SIGNERS : SignerCheck.CONFIG_SIGNERS);
            assertThat(verdict).as("verdict of " + c.get("trustList")).isInstanceOf(
                    "trusted".equals(c.get("verdict")) ? SignerVerdict.Trusted.class : SignerVerdict.Untrusted.class);
        }
    }

    private static void trustList(Map<String, Object> c, String file, byte[] bytes, KeyMaterial signer, List<String> flags)
            throws Exception {
        TrustList list = TrustList.parse(bytes, file);
        assertThat(list.kind()).isEqualTo(file.startsWith("ctl/") ? TrustListKind.CTL : TrustListKind.ITL);
        if (flags.contains("rollback")) {
            assertThat(list.isBlank()).as("every record blank").isTrue();
            assertThat(list.signerRecord()).as("a blank list names no signer").isEmpty();
            assertThat(list.verifiesItself()).isFalse();
        } else {
            assertThat(list.isBlank()).isFalse();
            assertThat(list.verifiesItself()).as("verifies with its own signer record").isTrue();
            assertThat(list.signerRecord().orElseThrow().matches(signer.certificate()))
                    .as("the signer record vouches for " + c.get("signer")).isTrue();
        }
        if (c.containsKey("records")) {
            assertThat(list.records()).extracting(r -> r.hasRole(Role.SAST) ? "SAST" : r.roleName())
                    .containsExactlyElementsOf(Json.array(c.get("records")).stream().map(String.class::cast).toList());
        }
        if (flags.contains("ec-records")) {
            List<TrustRecord> ec = list.records().stream().filter(r -> r.hasRole(Role.TVS) || r.hasRole(Role.CAPF)).toList();
            assertThat(ec).isNotEmpty().allSatisfy(r -> {
                assertThat(r.publicKeyBytes().length()).as("uncompressed secp256r1 point").isEqualTo(65);
                assertThat(r.publicKey()).get().extracting(PublicKey::getAlgorithm).isEqualTo("EC");
                assertThat(r.certHash()).isPresent();
            });
        }
        if (flags.contains("cert-hash-only")) {
            assertThat(list.records()).allSatisfy(r -> {
                assertThat(r.certificateDer()).isEmpty();
                assertThat(r.certHash()).isPresent();
            });
        }
        if (flags.contains("unknown-role")) {
            assertThat(list.records()).anySatisfy(r -> {
                assertThat(r.roleCode()).isEqualTo(99);
                assertThat(r.role()).isEmpty();
                assertThat(r.roleName()).isEqualTo("99");
            });
        }
        if (flags.contains("ip-address")) {
            assertThat(list.records()).anySatisfy(r ->
                    assertThat(r.fields()).anySatisfy(f -> assertThat(f.tag()).isEqualTo(RecordTag.IP_ADDRESS.code())));
        }
        if (flags.contains("serial-high-bit")) {
            assertThat(parseSerialTopByte(list)).as("the file stores the serial without a DER sign byte")
                    .isGreaterThanOrEqualTo(0x80);
        }
        if (flags.contains("max-size")) {
            assertThat(bytes.length).isEqualTo(TrustList.MAX_SIZE);
        }
        // show itl must print anything that parses.
        assertThat(ShowItlPrinter.print(list, Optional.empty(), ZoneOffset.UTC)).isNotBlank();
    }

    private static int parseSerialTopByte(TrustList list) {
        return list.file().signer().serial().get(0);
    }

    private static void invalid(Map<String, Object> c, String file, byte[] bytes) throws Exception {
        List<String> flags = flags(c);
        boolean refused = flags.stream().anyMatch(REFUSED_BY_PARSER::contains);
        boolean badSignature = flags.stream().anyMatch(FAILS_SIGNATURE::contains);
        assertThat(refused ^ badSignature).as("flags %s name exactly one kind of failure", flags).isTrue();
        if (refused) {
            assertThatThrownBy(() -> parse(file, bytes))
                    .as("the parser refuses " + file)
                    .isInstanceOfSatisfying(MalformedFileException.class, e -> {
                        assertThat(e.offset()).isBetween(0, bytes.length);
                        flags.stream().filter(FAULT_TAG::containsKey).forEach(flag ->
                                assertThat(e.tag()).as("tag named for %s: %s", flag, e.getMessage()).isEqualTo(FAULT_TAG.get(flag)));
                    });
            return;
        }
        SignedFile parsed = parse(file, bytes);
        assertThat(parsed.verifySignature(pem((String) c.get("signer")).certificate().getPublicKey()))
                .as("signature of " + file + " must fail").isFalse();
        if (file.endsWith(".tlv")) {
            assertThat(TrustList.parse(bytes, file).verifiesItself()).isFalse();
        }
    }

    /** Either behaviour is allowed, but never anything other than a clean refusal or a verified file. */
    private static void acceptable(Map<String, Object> c, String file, byte[] bytes) throws Exception {
        try {
            SignedFile parsed = parse(file, bytes);
            assertThat(parsed.verifySignature(pem((String) c.get("signer")).certificate().getPublicKey())).isTrue();
        } catch (MalformedFileException refused) {
            assertThat(refused.offset()).isBetween(0, bytes.length);
        }
    }

    /**
     * Every prefix of a generated trust list is refused with {@link MalformedFileException} and never another
     * exception. The only prefixes that parse are those ending exactly on a record boundary (the header end
     * or the end of a record before the last): they are well formed, and their signature must then fail.
     */
    @TestFactory
    Stream<DynamicTest> truncatedAtEveryOffset() {
        List<String> files = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            String f = (String) c.get("file");
            if ("valid".equals(c.get("result")) && !flags(c).contains("max-size")) {
                files.add(f);
            }
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f, () -> {
            byte[] full = read(f);
            boolean tlv = f.endsWith(".tlv");
            SignedFile whole = parse(f, full);
            PublicKey key = pemKeyFor(f);
            Set<Integer> boundaries = new HashSet<>();
            if (tlv) {
                boundaries.add(whole.headerLength());
                for (TrustRecord r : TrustList.parse(full, f).records()) {
                    boundaries.add(r.offset() + r.length());
                }
            }
            Set<Integer> parsedAt = new TreeSet<>();
            for (int n = 0; n < full.length; n++) {
                byte[] cut = java.util.Arrays.copyOf(full, n);
                try {
                    if (tlv) {
                        TrustList list = TrustList.parse(cut, f);
                        assertThat(list.verifiesItself()).as("cut at %d", n).isFalse();
                    } else {
                        SignedFile parsed = SignedFile.parse(cut);
                        assertThat(n).as("a cut .sgn parses only when its header is whole").isGreaterThanOrEqualTo(whole.headerLength());
                        assertThat(parsed.verifySignature(key)).as("cut at %d", n).isFalse();
                    }
                    parsedAt.add(n);
                } catch (MalformedFileException expected) {
                    assertThat(expected.offset()).as("cut at %d", n).isBetween(0, n);
                } catch (RuntimeException | Error other) {
                    fail("cut at " + n + " of " + f + " threw " + other, other);
                }
            }
            if (tlv) {
                boundaries.remove(full.length);
                assertThat(parsedAt).as("the prefixes of %s that parse are exactly its record boundaries", f)
                        .containsExactlyInAnyOrderElementsOf(boundaries);
            }
        }));
    }

    private static PublicKey pemKeyFor(String file) throws PemFiles.PemException {
        for (Map<String, Object> c : cases) {
            if (file.equals(c.get("file"))) {
                return pem((String) c.get("signer")).certificate().getPublicKey();
            }
        }
        throw new IllegalArgumentException(file);
    }

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }
}
