package org.phoneemu.core.vectors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.FormatVersion;
import org.phoneemu.core.signedfile.HeaderElement;
import org.phoneemu.core.signedfile.HeaderTag;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.signedfile.internal.SignedFileBuilder;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.internal.RecordTag;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * Writes the project's own test vectors ({@code test-vectors/generated/}): signed trust lists, configs and
 * encrypted configs from a generated test cluster, plus malformed variants, each listed in
 * {@code manifest.json} in the Wycheproof layout (tcId, file, result, comment, flags, md5, sha1, length, signer).
 *
 * <p>Everything is derived from fixed seeds (SHA1PRNG seeded per key), fixed certificate dates and fixed
 * file timestamps, so running the generator again on the same JDK rewrites byte-identical files.
 * Malformed variants are re-signed after the edit wherever the file still has a signature, so the flagged
 * defect is the only thing wrong with them. Never edit the output by hand: change this class and rerun it
 * (see {@code test-vectors/README.md}).
 *
 * <p>Usage: {@code VectorGenerator [outputDirectory]}; the default is {@code test-vectors/generated} of the
 * repository found above the working directory.
 */
public final class VectorGenerator {
    /** Every file timestamp (tag 15): 2025-01-01T00:00:00Z. */
    static final long TIMESTAMP = 1735689600L;
    private static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2045-01-01T00:00:00Z");
    private static final String SEED = "phone-emu generated test vectors v1/";
    private static final String DN = ",OU=tac,O=phone-emu,L=rtp,ST=nc,C=US";
    private static final String MAC = "001122334455";
    private static final List<String> FOLDERS = List.of("itl", "ctl", "sgn", "enc", "certs");

    private final Path out;
    private final List<Map<String, Object>> cases = new ArrayList<>();
    private final Map<String, byte[]> files = new TreeMap<>();
    private final Map<String, String> flagNotes = new TreeMap<>();

    private VectorGenerator(Path out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : Vectors.root().resolve("generated");
        VectorGenerator g = new VectorGenerator(out.toAbsolutePath().normalize());
        g.generate();
        g.write();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The cases

    private void generate() throws Exception {
        notes();
        // The test cluster. Names are given in BC's order (C first); files carry them CN first.
        KeyMaterial callManager = rsa("callmanager", bc("CN=cucm-pub.phoneemu.lab"), 2048, 16, false);
        KeyMaterial itlRecovery = rsa("itlrecovery", bc("CN=ITLRECOVERY_cucm-pub.phoneemu.lab"), 2048, 16, false);
        KeyMaterial tvs = rsa("tvs", bc("CN=cucm-pub.phoneemu.lab-tvs"), 2048, 16, false);
        KeyMaterial capf = rsa("capf", bc("CN=CAPF-5e1f00d2"), 2048, 16, false);
        KeyMaterial callManager1024 = rsa("callmanager-1024", bc("CN=cucm-old.phoneemu.lab"), 1024, 16, false);
        KeyMaterial callManager4096 = rsa("callmanager-4096", bc("CN=cucm-big.phoneemu.lab"), 4096, 16, false);
        KeyMaterial tvsEc = ec("tvs-ec", bc("CN=cucm-pub.phoneemu.lab-EC-tvs"));
        KeyMaterial capfEc = ec("capf-ec", bc("CN=CAPF-EC-5e1f00d2"));
        KeyMaterial names = rsa("names", "C=US,ST=nc,L=rtp,O=phone-emu,OU=Voice\\, Lab,CN=cucm-names.phoneemu.lab",
                2048, 16, false);
        KeyMaterial etoken = rsa("etoken", "O=Cisco Systems,OU=Security,CN=SAST-ADN0054f6ff", 2048, 16, true);
        KeyMaterial phone = rsa("phone-lsc", "O=phone-emu,OU=phones,CN=SEP" + MAC, 2048, 16, false);
        KeyMaterial rogue = rsa("rogue", "O=elsewhere,CN=rogue.example", 2048, 16, false);

        byte[] xml = configXml().getBytes(StandardCharsets.UTF_8);
        put("sgn/SEP" + MAC + ".cnf.xml", xml);

        // ---- valid trust lists ----
        byte[] base = clusterItl(callManager, itlRecovery, tvs, capf)
                .digest(DigestAlgorithm.SHA256).signerVersion(FormatVersion.SIGNER_1_0).build(callManager);
        valid("itl/ITLFile-sha256.tlv", base, "ITL signed with SHA-256 by the CallManager key of its SAST record; "
                        + "CUCM ';' names; SAST, CCM+TFTP, CAPF (hash), TVS (hash), SAST (ITLRECOVERY)",
                "sha256", "rsa2048", "cucm-names", "signer-version-1.0")
                .put("signer", "certs/callmanager.pem");
        records(last(), base);
        signerVersion(last(), "1.0");

        byte[] sha512 = clusterItl(callManager, itlRecovery, tvs, capf)
                .digest(DigestAlgorithm.SHA512).signerVersion(FormatVersion.SIGNER_1_0).build(callManager);
        valid("itl/ITLFile-sha512.tlv", sha512, "Same records as itl/ITLFile-sha256.tlv, signed with SHA-512",
                "sha512", "rsa2048", "cucm-names", "signer-version-1.0")
                .put("signer", "certs/callmanager.pem");
        records(last(), sha512);
        signerVersion(last(), "1.0");

        byte[] rsa1024 = new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP)
                .addCertificate(Role.SAST, callManager1024.certificate())
                .addCertificate(Role.TFTP, callManager1024.certificate())
                .addCertificateHash(Role.CAPF, capf.certificate())
                .addCertificateHash(Role.TVS, tvs.certificate())
                .build(callManager1024);
        valid("itl/ITLFile-rsa1024.tlv", rsa1024, "1024-bit signer (128-byte signature, SIGNATUREMODULUS index 1), "
                        + "SHA-1 and no SIGNERVERSION tag, as a CUCM 10 ITL",
                "rsa1024", "sha1", "no-signer-version")
                .put("signer", "certs/callmanager-1024.pem");
        records(last(), rsa1024);
        signerVersion(last(), "none");

        byte[] rsa4096 = new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP)
                .digest(DigestAlgorithm.SHA256).signerVersion(FormatVersion.SIGNER_1_0)
                .addCertificate(Role.SAST, callManager4096.certificate())
                .addCertificate(Role.CCM_TFTP, callManager4096.certificate())
                .addCertificateHash(Role.CAPF, capf.certificate())
                .addCertificateHash(Role.TVS, tvs.certificate())
                .build(callManager4096);
        valid("itl/ITLFile-rsa4096.tlv", rsa4096, "4096-bit signer: 512-byte signature, SIGNATUREMODULUS index 3",
                "rsa4096", "sha256", "signer-version-1.0")
                .put("signer", "certs/callmanager-4096.pem");
        records(last(), rsa4096);
        signerVersion(last(), "1.0");

        byte[] ecRecords = new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP)
                .digest(DigestAlgorithm.SHA256)
                .addCertificate(Role.SAST, callManager.certificate())
                .addCertificate(Role.CCM_TFTP, callManager.certificate())
                .addCertificateHash(Role.CAPF, capfEc.certificate())
                .addCertificateHash(Role.TVS, tvsEc.certificate())
                .addCertificate(Role.SAST, itlRecovery.certificate())
                .build(callManager);
        valid("itl/ITLFile-ec-records.tlv", ecRecords, "CAPF and TVS records hold secp256r1 keys (uncompressed points, "
                        + "certificate hash only), so the header carries SIGNERVERSION 1.1; the file itself is RSA-signed",
                "ec-records", "secp256r1", "signer-version-1.1", "sha256")
                .put("signer", "certs/callmanager.pem");
        records(last(), ecRecords);
        signerVersion(last(), "1.1");

        for (NameStyle style : NameStyle.values()) {
            boolean cucm = style == NameStyle.CUCM;
            byte[] itl = new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP).nameStyle(style)
                    .digest(DigestAlgorithm.SHA256)
                    .addCertificate(Role.SAST, names.certificate())
                    .addCertificate(Role.CCM_TFTP, names.certificate())
                    .addCertificateHash(Role.TVS, tvs.certificate())
                    .build(names);
            String name = DistinguishedNames.format(names.certificate().getSubjectX500Principal(), style);
            valid("itl/ITLFile-" + (cucm ? "cucm" : "rfc4514") + "-names.tlv", itl,
                    (cucm ? "CUCM ';'-separated names" : "RFC 4514 ','-separated names") + " written by the builder: "
                            + name + " (the OU holds an escaped comma)",
                    cucm ? "cucm-names" : "rfc4514-names", "comma-in-name", "sha256")
                    .put("signer", "certs/names.pem");
            records(last(), itl);
        }
        byte[] rawComma = rawCommaItl(names);
        valid("itl/ITLFile-cucm-names-raw-comma.tlv", rawComma, "Built by hand as CUCM writes it: ';' names whose OU "
                        + "holds an unescaped comma (OU=Voice, Lab); the name must still match the certificate",
                "cucm-names", "comma-in-name", "sha256")
                .put("signer", "certs/names.pem");
        records(last(), rawComma);

        byte[] hashOnly = new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP).digest(DigestAlgorithm.SHA256)
                .addCertificateHash(Role.SAST, callManager.certificate())
                .addCertificateHash(Role.CCM_TFTP, callManager.certificate())
                .addCertificateHash(Role.CAPF, capf.certificate())
                .addCertificateHash(Role.TVS, tvs.certificate())
                .build(callManager);
        valid("itl/ITLFile-cert-hash-only.tlv", hashOnly, "Every record, the signer's SAST record included, carries "
                        + "CERTHASH + HASH ALGORITHM instead of the certificate; the signer key comes from PUBLICKEY",
                "cert-hash-only", "sha256")
                .put("signer", "certs/callmanager.pem");
        records(last(), hashOnly);

        byte[] unknownRole = new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP).digest(DigestAlgorithm.SHA256)
                .addCertificate(Role.SAST, callManager.certificate())
                .addCertificate(Role.CCM_TFTP, callManager.certificate())
                .addRecord(99, tvs.certificate(), true)
                .addCertificateHash(Role.TVS, tvs.certificate())
                .build(callManager);
        valid("itl/ITLFile-unknown-role.tlv", unknownRole, "A record with FUNCTION 99, a role this emulator does not "
                        + "know: kept and shown by number, never an error",
                "unknown-role", "sha256")
                .put("signer", "certs/callmanager.pem");
        records(last(), unknownRole);

        byte[] rollback = new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP)
                .addBlank(Role.SAST).addBlank(Role.CCM_TFTP).addBlank(Role.CAPF).addBlank(Role.TVS)
                .build(callManager);
        valid("itl/ITLFile-rollback.tlv", rollback, "Rollback ITL (Prepare Cluster for Rollback to pre-8.0): every "
                        + "record blank, so it holds no signer record; its signature verifies with certs/callmanager.pem",
                "rollback", "sha1")
                .put("signer", "certs/callmanager.pem");
        records(last(), rollback);

        byte[] byRecovery = clusterItl(callManager, itlRecovery, tvs, capf)
                .digest(DigestAlgorithm.SHA256).signerVersion(FormatVersion.SIGNER_1_0).build(itlRecovery);
        valid("itl/ITLFile-signed-by-itlrecovery.tlv", byRecovery, "Same records as itl/ITLFile-sha256.tlv, signed "
                        + "by the ITLRECOVERY key (as after utils itl reset localkey): trusted through that ITL's second SAST record",
                "itl-recovery", "sha256")
                .put("signer", "certs/itlrecovery.pem");
        trustedBy(last(), "itl/ITLFile-sha256.tlv", "trusted");

        byte[] rogueItl = clusterItl(rogue, rogue, tvs, capf).digest(DigestAlgorithm.SHA256).build(rogue);
        valid("itl/ITLFile-rogue.tlv", rogueItl, "Self-consistent ITL from an unrelated key: a valid file, but "
                        + "not signed by any SAST record of itl/ITLFile-sha256.tlv",
                "untrusted-signer", "sha256")
                .put("signer", "certs/rogue.pem");
        trustedBy(last(), "itl/ITLFile-sha256.tlv", "untrusted");

        byte[] maxSize = sizedItl(base, callManager, TrustList.MAX_SIZE);
        valid("itl/ITLFile-max-size.tlv", maxSize, "Built by hand: exactly 65535 bytes (TrustList.MAX_SIZE), records of "
                        + "itl/ITLFile-sha256.tlv then repeated TVS records, the last one padded through its DNSNAME",
                "max-size", "sha256")
                .put("signer", "certs/callmanager.pem");

        byte[] ctl = new TrustListBuilder(TrustListKind.CTL).timestamp(TIMESTAMP)
                .addCertificate(Role.SAST, etoken.certificate())
                .addCertificate(Role.SAST, itlRecovery.certificate())
                .addCertificate(Role.CCM_TFTP, callManager.certificate(), new byte[] {(byte) 192, 0, 2, 10})
                .addCertificate(Role.CAPF, capf.certificate())
                .build(etoken);
        valid("ctl/CTLFile.tlv", ctl, "CTL signed by an eToken SAST whose serial has its top bit set (DER adds a "
                        + "sign byte, the file does not); CCM+TFTP record with a 4-byte IP ADDRESS (tag 10)",
                "ctl", "etoken", "serial-high-bit", "ip-address", "sha1")
                .put("signer", "certs/etoken.pem");
        records(last(), ctl);

        // ---- configs ----
        byte[] sgn = EncryptedConfig.sign(xml, callManager, "SEP" + MAC + ".cnf.xml.sgn", TIMESTAMP, NameStyle.CUCM,
                DigestAlgorithm.SHA256);
        valid("sgn/SEP" + MAC + ".cnf.xml.sgn", sgn, "Config signed with SHA-256 by the CallManager key (CCM+TFTP "
                        + "record of itl/ITLFile-sha256.tlv); body equals the plaintext file",
                "config", "sha256")
                .put("signer", "certs/callmanager.pem");
        last().put("plaintext", "sgn/SEP" + MAC + ".cnf.xml");
        trustedBy(last(), "itl/ITLFile-sha256.tlv", "trusted");

        String copied = "  <ipAddressMode>0</ipAddressMode>\n  <loadInformation>SIP70.9-4-2SR3-1S</loadInformation>\n"
                + "  <capfAuthMode>0</capfAuthMode>\n  <capfList><capf><phonePort>3804</phonePort>"
                + "<processNodeName>cucm-pub.phoneemu.lab</processNodeName></capf></capfList>\n";
        byte[] stubXml = EncryptedConfig.stubXml(phone.certificate(), copied).getBytes(StandardCharsets.UTF_8);
        byte[] stub = EncryptedConfig.sign(stubXml, callManager, "SEP" + MAC + ".cnf.xml.sgn", TIMESTAMP,
                NameStyle.CUCM, DigestAlgorithm.SHA256);
        valid("enc/SEP" + MAC + ".cnf.xml.sgn", stub, "Stub config: fullConfig false, certHash = MD5 of the "
                        + "certificate in certs/phone-lsc.pem, encrConfig true",
                "stub", "sha256")
                .put("signer", "certs/callmanager.pem");
        last().put("deviceKey", "certs/phone-lsc.pem");

        byte[] enc = EncryptedConfig.encrypt(xml, phone.certificate(), callManager, "SEP" + MAC + ".cnf.xml.enc.sgn",
                TIMESTAMP, NameStyle.CUCM, DigestAlgorithm.SHA256, seeded("enc"));
        valid("enc/SEP" + MAC + ".cnf.xml.enc.sgn", enc, "AES-128-CBC config, key wrapped to certs/phone-lsc.pem, "
                        + "signed with SHA-256; decrypts to sgn/SEP" + MAC + ".cnf.xml",
                "encrypted", "sha256")
                .put("signer", "certs/callmanager.pem");
        last().put("plaintext", "sgn/SEP" + MAC + ".cnf.xml");
        last().put("deviceKey", "certs/phone-lsc.pem");

        // ---- malformed files: the parser must refuse them ----
        SignedFile good = SignedFile.parse(base);
        TrustList goodList = TrustList.parse(base);
        int headerLength = good.headerLength();
        for (int[] cut : new int[][] {{5, 0}, {headerLength / 2, 1}, {headerLength + 100, 2}, {base.length - 1, 3}}) {
            String where = switch (cut[1]) {
                case 0 -> "inside VERSION/HEADER LENGTH: shorter than the first two tags";
                case 1 -> "inside the header: HEADER LENGTH (" + headerLength + ") now runs past the end";
                case 2 -> "inside the first record: its RECORDLENGTH runs past the end";
                default -> "one byte short: the last record runs past the end";
            };
            invalid("itl/ITLFile-truncated-" + cut[0] + ".tlv", Arrays.copyOf(base, cut[0]),
                    "First " + cut[0] + " bytes of itl/ITLFile-sha256.tlv, cut " + where, "truncated");
        }

        TrustRecord lastRecord = goodList.records().get(goodList.records().size() - 1);
        byte[] pastEnd = base.clone();
        putU16(pastEnd, lastRecord.offset() + 3, lastRecord.length() + 50);
        invalid("itl/ITLFile-record-length-past-end.tlv", resign(pastEnd, good, callManager),
                "RECORDLENGTH of the last record (offset " + lastRecord.offset() + ") raised by 50: it runs past the "
                        + "end of the file; re-signed", "record-length-past-end");

        TrustRecord first = goodList.records().get(0);
        byte[] overDeclared = base.clone();
        putU16(overDeclared, first.offset() + 3, first.length() - 1);
        invalid("itl/ITLFile-record-over-declared-length.tlv", resign(overDeclared, good, callManager),
                "RECORDLENGTH of the first record lowered by 1: its last field (CERTIFICATE) runs one byte past the "
                        + "record's declared length; re-signed", "record-over-declared-length");

        byte[] headerPastEnd = base.clone();
        putU16(headerPastEnd, 8, base.length + 4);
        invalid("itl/ITLFile-header-length-past-end.tlv", resign(headerPastEnd, good, callManager),
                "HEADER LENGTH set to " + (base.length + 4) + ", 4 bytes past the end of the file; re-signed",
                "header-length-past-end");

        HeaderElement timestamp = element(good, HeaderTag.TIMESTAMP);
        byte[] headerCuts = base.clone();
        putU16(headerCuts, 8, timestamp.offset() + 3);
        invalid("itl/ITLFile-header-length-cuts-tlv.tlv", resign(headerCuts, good, callManager),
                "HEADER LENGTH set to " + (timestamp.offset() + 3) + ", which ends inside the TIMESTAMP TLV; re-signed",
                "header-length-cuts-tlv");

        byte[] unknownTag = insertAtHeaderEnd(base, headerLength, new byte[] {29, 0, 1, 0});
        invalid("itl/ITLFile-unknown-header-tag.tlv", resign(unknownTag, good, callManager),
                "A TLV with tag 29 (not a header tag) added at the end of the header, HEADER LENGTH raised by 4; "
                        + "re-signed", "unknown-header-tag");

        byte[] duplicate = insertAtHeaderEnd(base, headerLength, new byte[] {8, 0, 1, (byte) DigestAlgorithm.SHA1.code()});
        invalid("itl/ITLFile-duplicate-header-tag.tlv", resign(duplicate, good, callManager),
                "A second HASH ALGORITHM (tag 8, SHA-1) after the header's SHA-256 one, HEADER LENGTH raised by 4: "
                        + "a parser must not pick either; re-signed", "duplicate-header-tag");

        invalid("itl/ITLFile-missing-signature-tag.tlv", withoutSignature(base, good),
                "The SIGNATURE TLV (tag 12) removed, header re-padded and HEADER LENGTH adjusted",
                "missing-signature-tag");

        HeaderElement modulus = element(good, HeaderTag.SIGNATURE_MODULUS);
        byte[] sizeMismatch = base.clone();
        sizeMismatch[modulus.offset() + 3] = 1;
        invalid("itl/ITLFile-signature-size-mismatch.tlv", resign(sizeMismatch, good, callManager),
                "SIGNATUREMODULUS says index 1 (128 bytes) but the signature is 256 bytes; re-signed",
                "signature-size-mismatch");

        byte[] modulusRange = base.clone();
        modulusRange[modulus.offset() + 3] = 4;
        invalid("itl/ITLFile-modulus-index-out-of-range.tlv", resign(modulusRange, good, callManager),
                "SIGNATUREMODULUS index 4, outside {64, 128, 256, 512}; re-signed", "modulus-index-out-of-range");

        HeaderElement algoInfo = element(good, HeaderTag.SIGNATURE_ALGORITHM_INFO);
        byte[] crosses = base.clone();
        putU16(crosses, algoInfo.offset() + 1, 5);
        invalid("itl/ITLFile-tlv-crosses-container.tlv", resign(crosses, good, callManager),
                "SIGNATUREALGOINFO container length 8 lowered to 5: SIGNATUREMODULUS crosses its end; re-signed",
                "tlv-crosses-container");

        invalid("itl/ITLFile-over-64k.tlv", sizedItl(base, callManager, TrustList.MAX_SIZE + 1),
                "Built by hand like itl/ITLFile-max-size.tlv but 65536 bytes, one over TrustList.MAX_SIZE; correctly "
                        + "signed: only the size is wrong", "over-64k");

        // ---- well-formed files whose signature must fail ----
        byte[] tampered = base.clone();
        tampered[tampered.length - 1] ^= 0x01;
        invalid("itl/ITLFile-tampered.tlv", tampered, "itl/ITLFile-sha256.tlv with one bit flipped in the last byte "
                + "(inside the last record): parses, signature fails", "tampered")
                .put("signer", "certs/callmanager.pem");

        HeaderElement signature = element(good, HeaderTag.SIGNATURE);
        byte[] badSignature = base.clone();
        badSignature[signature.offset() + 3 + 100] ^= 0x10;
        invalid("itl/ITLFile-tampered-signature.tlv", badSignature, "itl/ITLFile-sha256.tlv with one bit flipped "
                + "inside the SIGNATURE value: parses, signature fails", "tampered-signature")
                .put("signer", "certs/callmanager.pem");

        byte[] sgnTampered = replaceOnce(sgn, "<webAccess>0</webAccess>", "<webAccess>1</webAccess>");
        invalid("sgn/SEP" + MAC + "-tampered.cnf.xml.sgn", sgnTampered,
                "webAccess flipped from 0 to 1 after signing: parses, signature fails", "tampered")
                .put("signer", "certs/callmanager.pem");

        invalid("sgn/SEP" + MAC + "-truncated.cnf.xml.sgn", Arrays.copyOf(sgn, sgn.length - 10),
                "Last 10 bytes of the body cut off: the header is intact so it parses, signature fails",
                "truncated-body")
                .put("signer", "certs/callmanager.pem");

        byte[] encTampered = enc.clone();
        encTampered[encTampered.length - 20] ^= 0x01;
        invalid("enc/SEP" + MAC + "-tampered.cnf.xml.enc.sgn", encTampered,
                "One bit of the ciphertext flipped after signing: parses, signature fails", "tampered")
                .put("signer", "certs/callmanager.pem");

        // ---- keys ----
        Map<String, KeyMaterial> keys = new LinkedHashMap<>();
        keys.put("callmanager", callManager);
        keys.put("itlrecovery", itlRecovery);
        keys.put("tvs", tvs);
        keys.put("capf", capf);
        keys.put("callmanager-1024", callManager1024);
        keys.put("callmanager-4096", callManager4096);
        keys.put("tvs-ec", tvsEc);
        keys.put("capf-ec", capfEc);
        keys.put("names", names);
        keys.put("etoken", etoken);
        keys.put("phone-lsc", phone);
        keys.put("rogue", rogue);
        keys.forEach((k, v) -> put("certs/" + k + ".pem",
                PemFiles.toPem(v.privateKey(), v.certificate()).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The cluster ITL of CUCM: SAST, CCM+TFTP, CAPF (hash), TVS (hash), SAST (ITLRECOVERY). */
    private static TrustListBuilder clusterItl(KeyMaterial callManager, KeyMaterial itlRecovery, KeyMaterial tvs,
                                               KeyMaterial capf) {
        return new TrustListBuilder(TrustListKind.ITL).timestamp(TIMESTAMP).nameStyle(NameStyle.CUCM)
                .addCertificate(Role.SAST, callManager.certificate())
                .addCertificate(Role.CCM_TFTP, callManager.certificate())
                .addCertificateHash(Role.CAPF, capf.certificate())
                .addCertificateHash(Role.TVS, tvs.certificate())
                .addCertificate(Role.SAST, itlRecovery.certificate());
    }

    private void notes() {
        note("sha1", "header digest (tag 8) SHA-1");
        note("sha256", "header digest (tag 8) SHA-256");
        note("sha512", "header digest (tag 8) SHA-512");
        note("rsa1024", "1024-bit RSA signer, 128-byte signature");
        note("rsa2048", "2048-bit RSA signer, 256-byte signature");
        note("rsa4096", "4096-bit RSA signer, 512-byte signature");
        note("signer-version-1.0", "header tag 28 = 1.0");
        note("signer-version-1.1", "header tag 28 = 1.1 (EC keys allowed in records)");
        note("no-signer-version", "no header tag 28, as older CUCM versions write");
        note("ec-records", "records holding EC public keys (uncompressed points)");
        note("secp256r1", "EC keys on secp256r1");
        note("cucm-names", "names written with ';' between attributes, as CUCM does");
        note("rfc4514-names", "names written RFC 4514 style with ','");
        note("comma-in-name", "an attribute value holds a comma");
        note("cert-hash-only", "every record carries CERTHASH + HASH ALGORITHM instead of the certificate");
        note("unknown-role", "a record with a FUNCTION code this emulator does not know (99): kept");
        note("rollback", "rollback ITL: all records blank, no signer record");
        note("itl-recovery", "signed by the ITLRECOVERY SAST key");
        note("untrusted-signer", "valid file whose signer is not trusted by the named trust list");
        note("max-size", "trust list of exactly 65535 bytes, the largest accepted");
        note("ctl", "Certificate Trust List");
        note("etoken", "signed by an eToken SAST");
        note("serial-high-bit", "signer serial with its top bit set (no DER sign byte in the file)");
        note("ip-address", "a record carries IP ADDRESS (tag 10), kept as opaque bytes");
        note("config", "signed configuration (.sgn)");
        note("stub", "stub config pointing to an encrypted config");
        note("encrypted", "encrypted configuration (.enc.sgn)");
        note("truncated", "file cut short: the parser must refuse it");
        note("record-length-past-end", "a RECORDLENGTH runs past the end of the file");
        note("record-over-declared-length", "a record's fields run past its RECORDLENGTH");
        note("header-length-past-end", "HEADER LENGTH runs past the end of the file");
        note("header-length-cuts-tlv", "HEADER LENGTH ends inside a header TLV");
        note("unknown-header-tag", "a header tag that docs/FORMATS.md does not define");
        note("duplicate-header-tag", "a header tag that appears twice");
        note("missing-signature-tag", "no SIGNATURE (tag 12) in the header");
        note("signature-size-mismatch", "signature length differs from the size SIGNATUREMODULUS names");
        note("modulus-index-out-of-range", "SIGNATUREMODULUS index outside 0..3");
        note("tlv-crosses-container", "a header TLV crosses the end of its container");
        note("over-64k", "trust list over 65535 bytes: must be refused, not truncated");
        note("tampered", "bytes changed after signing: parses, signature fails");
        note("tampered-signature", "signature bytes changed: parses, signature fails");
        note("truncated-body", "body cut short, header intact: parses, signature fails");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hand-built files

    /** An ITL of exactly {@code size} bytes: the records of {@code base}, copies of its TVS record, a padded last one. */
    private static byte[] sizedItl(byte[] base, KeyMaterial signer, int size) throws Exception {
        TrustList list = TrustList.parse(base);
        byte[] records = list.file().body();
        TrustRecord tvs = list.recordsWithRole(Role.TVS).get(0);
        byte[] tvsRecord = Arrays.copyOfRange(base, tvs.offset(), tvs.offset() + tvs.length());
        int headerLength = list.file().headerLength(); // the same signer, names, digest and options give the same header
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(records);
        int remaining = size - headerLength - records.length;
        while (remaining >= 2 * tvsRecord.length) {
            body.writeBytes(tvsRecord);
            remaining -= tvsRecord.length;
        }
        // The last record: the TVS record with a DNSNAME grown so the file ends exactly at `size`.
        int grow = remaining - tvsRecord.length;
        byte[] dnsName = new byte[2 + grow];
        Arrays.fill(dnsName, 0, dnsName.length - 1, (byte) 'x');
        byte[] dns = Arrays.copyOfRange(tvsRecord, 5, 5 + 3 + 2); // DNSNAME tag, length 2, value 00 00
        if (dns[0] != RecordTag.DNS_NAME.code() || dns[2] != 2) {
            throw new IllegalStateException("expected an empty 2-byte DNSNAME after RECORDLENGTH");
        }
        ByteArrayOutputStream last = new ByteArrayOutputStream();
        last.write(RecordTag.RECORD_LENGTH.code());
        last.writeBytes(new byte[] {0, 2});
        last.writeBytes(u16(remaining));
        last.write(RecordTag.DNS_NAME.code());
        last.writeBytes(u16(dnsName.length));
        last.writeBytes(dnsName);
        last.write(tvsRecord, 10, tvsRecord.length - 10);
        body.writeBytes(last.toByteArray());

        X509Certificate cert = signer.certificate();
        byte[] file = new SignedFileBuilder()
                .version(FormatVersion.TRUST_LIST)
                .signerVersion(list.file().signerVersion().orElse(null))
                .signer(DistinguishedNames.format(cert.getSubjectX500Principal(), NameStyle.CUCM),
                        DistinguishedNames.format(cert.getIssuerX500Principal(), NameStyle.CUCM),
                        Certificates.serialBytes(cert.getSerialNumber()))
                .signingKey(signer.privateKey())
                .digest(list.file().digest())
                .filename("ITLFile.tlv")
                .timestamp(TIMESTAMP)
                .body(body.toByteArray())
                .build();
        if (file.length != size) {
            throw new IllegalStateException("built " + file.length + " bytes, wanted " + size);
        }
        return file;
    }

    /** An ITL written as CUCM writes names: ';' between attributes, a comma inside a value left unescaped. */
    private static byte[] rawCommaItl(KeyMaterial signer) {
        X509Certificate cert = signer.certificate();
        String name = "CN=cucm-names.phoneemu.lab;OU=Voice, Lab;O=phone-emu;L=rtp;ST=nc;C=US";
        byte[] serial = Certificates.serialBytes(cert.getSerialNumber());
        byte[] key = rsaPublicKey(cert);
        byte[] der = Certificates.der(cert);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Role role : List.of(Role.SAST, Role.CCM_TFTP)) {
            SignedFileBuilder.Tlv r = new SignedFileBuilder.Tlv();
            r.value(RecordTag.DNS_NAME.code(), new byte[2]);
            r.value(RecordTag.SUBJECT_NAME.code(), cString(name));
            r.u16(RecordTag.FUNCTION.code(), role.code());
            r.value(RecordTag.ISSUER_NAME.code(), cString(name));
            r.value(RecordTag.SERIAL_NUMBER.code(), serial);
            r.value(RecordTag.PUBLIC_KEY.code(), key);
            r.value(RecordTag.SIGNATURE.code(), cert.getSignature());
            r.value(RecordTag.CERTIFICATE.code(), der);
            byte[] fields = r.bytes();
            body.write(RecordTag.RECORD_LENGTH.code());
            body.writeBytes(new byte[] {0, 2});
            body.writeBytes(u16(5 + fields.length));
            body.writeBytes(fields);
        }
        return new SignedFileBuilder()
                .version(FormatVersion.TRUST_LIST)
                .signer(name, name, serial)
                .signingKey(signer.privateKey())
                .digest(DigestAlgorithm.SHA256)
                .filename("ITLFile.tlv")
                .timestamp(TIMESTAMP)
                .body(body.toByteArray())
                .build();
    }

    private static byte[] rsaPublicKey(X509Certificate cert) {
        java.security.interfaces.RSAPublicKey rsa = (java.security.interfaces.RSAPublicKey) cert.getPublicKey();
        try {
            return new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Integer[] {
                    new org.bouncycastle.asn1.ASN1Integer(rsa.getModulus()),
                    new org.bouncycastle.asn1.ASN1Integer(rsa.getPublicExponent())}).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code file} with {@code tlv} added right after the header (after any padding); HEADER LENGTH raised. */
    private static byte[] insertAtHeaderEnd(byte[] file, int headerLength, byte[] tlv) {
        byte[] outBytes = new byte[file.length + tlv.length];
        System.arraycopy(file, 0, outBytes, 0, headerLength);
        System.arraycopy(tlv, 0, outBytes, headerLength, tlv.length);
        System.arraycopy(file, headerLength, outBytes, headerLength + tlv.length, file.length - headerLength);
        putU16(outBytes, 8, headerLength + tlv.length);
        return outBytes;
    }

    /** {@code file} without its SIGNATURE TLV, the header padded again to a multiple of 4. */
    private static byte[] withoutSignature(byte[] file, SignedFile parsed) {
        HeaderElement signature = element(parsed, HeaderTag.SIGNATURE);
        int sigEnd = signature.offset() + 3 + signature.length();
        int unpaddedEnd = parsed.header().stream().filter(e -> e.tag() == HeaderTag.PADDING)
                .mapToInt(HeaderElement::offset).min().orElse(parsed.headerLength());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(file, 0, signature.offset());
        b.write(file, sigEnd, unpaddedEnd - sigEnd);
        while (b.size() % 4 != 0) {
            b.write(HeaderTag.PADDING.code());
        }
        int newHeader = b.size();
        b.write(file, parsed.headerLength(), file.length - parsed.headerLength());
        byte[] result = b.toByteArray();
        putU16(result, 8, newHeader);
        return result;
    }

    /**
     * Signs {@code edited} again with {@code key}: the SIGNATURE TLV is where {@code original} has it (edits
     * that insert bytes do so after it), and the signed bytes are the file without that TLV.
     */
    private static byte[] resign(byte[] edited, SignedFile original, KeyMaterial key) {
        HeaderElement signature = element(original, HeaderTag.SIGNATURE);
        int at = signature.offset();
        int cut = 3 + signature.length();
        byte[] signed = new byte[edited.length - cut];
        System.arraycopy(edited, 0, signed, 0, at);
        System.arraycopy(edited, at + cut, signed, at, edited.length - at - cut);
        byte[] value = SignedFileBuilder.sign(signed, key.privateKey(), original.digest());
        if (value.length != signature.length()) {
            throw new IllegalStateException("re-signing changed the signature size");
        }
        byte[] result = edited.clone();
        System.arraycopy(value, 0, result, at + 3, value.length);
        return result;
    }

    private static HeaderElement element(SignedFile file, HeaderTag tag) {
        return file.header().stream().filter(e -> e.tag() == tag).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + tag + " in the header"));
    }

    private static byte[] replaceOnce(byte[] data, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + f.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + f.length, f, 0, f.length)) {
                byte[] r = data.clone();
                System.arraycopy(t, 0, r, i, t.length);
                return r;
            }
        }
        throw new IllegalStateException(from + " not found");
    }

    private static void putU16(byte[] data, int at, int v) {
        data[at] = (byte) (v >> 8);
        data[at + 1] = (byte) v;
    }

    private static byte[] u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException(v + " does not fit a u16");
        }
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deterministic keys and certificates

    /** A SHA1PRNG whose whole output follows from {@code label}. */
    static SecureRandom seeded(String label) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG", "SUN");
            r.setSeed((SEED + label).getBytes(StandardCharsets.UTF_8));
            return r;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyMaterial rsa(String label, String subject, int bits, int serialBytes, boolean serialHighBit)
            throws Exception {
        SecureRandom random = seeded(label);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
        g.initialize(bits, random);
        return selfSigned(g.generateKeyPair(), subject, serialBytes, serialHighBit, "SHA256withRSA", random);
    }

    private static KeyMaterial ec(String label, String subject) throws Exception {
        SecureRandom random = seeded(label);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return selfSigned(g.generateKeyPair(), subject, 16, false, "SHA256withECDSA", random);
    }

    private static KeyMaterial selfSigned(KeyPair kp, String subject, int serialBytes, boolean highBit, String algorithm,
                                          SecureRandom random) throws Exception {
        byte[] s = new byte[serialBytes];
        random.nextBytes(s);
        s[0] = highBit ? (byte) (s[0] | 0x80) : (byte) ((s[0] & 0x3f) | 0x40);
        X500Name name = new X500Name(subject);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(1, s),
                java.util.Date.from(NOT_BEFORE), java.util.Date.from(NOT_AFTER), name, kp.getPublic());
        ContentSigner signer = new JcaContentSignerBuilder(algorithm).setSecureRandom(random).build(kp.getPrivate());
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
        return new KeyMaterial(kp.getPrivate(), cert);
    }

    /** BC takes names C first; {@code cn} is followed by the cluster's OU/O/L/ST/C. */
    private static String bc(String cn) {
        String[] parts = (cn + DN).split(",");
        StringBuilder sb = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            sb.append(parts[i]).append(i > 0 ? "," : "");
        }
        return sb.toString();
    }

    private static String configXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <device>
                  <fullConfig>true</fullConfig>
                  <deviceProtocol>SIP</deviceProtocol>
                  <devicePool>
                    <callManagerGroup>
                      <members>
                        <member priority="0">
                          <callManager>
                            <ports><sipPort>5060</sipPort><securedSipPort>5061</securedSipPort></ports>
                            <processNodeName>cucm-pub.phoneemu.lab</processNodeName>
                          </callManager>
                        </member>
                      </members>
                    </callManagerGroup>
                  </devicePool>
                  <TVS>
                    <members>
                      <member priority="0"><port>2445</port><address>cucm-pub.phoneemu.lab</address></member>
                    </members>
                  </TVS>
                  <vendorConfig>
                    <settingsAccess>1</settingsAccess>
                    <webAccess>0</webAccess>
                    <sshAccess>1</sshAccess>
                    <spanToPCPort>1</spanToPCPort>
                    <webProtocol>1</webProtocol>
                  </vendorConfig>
                  <loadInformation>SIP70.9-4-2SR3-1S</loadInformation>
                  <directoryURL>https://cucm-pub.phoneemu.lab:8443/ccmcip/xmldirectory.jsp</directoryURL>
                  <servicesURL>https://cucm-pub.phoneemu.lab:8443/ccmcip/getservicesmenu.jsp</servicesURL>
                  <deviceSecurityMode>3</deviceSecurityMode>
                  <transportLayerProtocol>3</transportLayerProtocol>
                  <ipAddressMode>0</ipAddressMode>
                  <capfAuthMode>0</capfAuthMode>
                  <capfList><capf><phonePort>3804</phonePort><processNodeName>cucm-pub.phoneemu.lab</processNodeName></capf></capfList>
                  <certHash></certHash>
                  <encrConfig>false</encrConfig>
                </device>
                """;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Manifest

    private void note(String flag, String text) {
        flagNotes.put(flag, text);
    }

    private Map<String, Object> valid(String file, byte[] bytes, String comment, String... flags) {
        return addCase(file, bytes, "valid", comment, flags);
    }

    private Map<String, Object> invalid(String file, byte[] bytes, String comment, String... flags) {
        return addCase(file, bytes, "invalid", comment, flags);
    }

    private Map<String, Object> addCase(String file, byte[] bytes, String result, String comment, String... flags) {
        for (String f : flags) {
            if (!flagNotes.containsKey(f)) {
                throw new IllegalStateException("flag " + f + " has no note");
            }
        }
        put(file, bytes);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("tcId", cases.size() + 1);
        c.put("file", file);
        c.put("result", result);
        c.put("comment", comment);
        c.put("flags", List.of(flags));
        c.put("md5", hex("MD5", bytes));
        c.put("sha1", hex("SHA-1", bytes));
        c.put("length", bytes.length);
        cases.add(c);
        return c;
    }

    private Map<String, Object> last() {
        return cases.get(cases.size() - 1);
    }

    private static void records(Map<String, Object> c, byte[] trustList) throws Exception {
        c.put("records", TrustList.parse(trustList).records().stream()
                .map(r -> r.hasRole(Role.SAST) ? "SAST" : r.roleName()).toList());
    }

    private static void signerVersion(Map<String, Object> c, String version) {
        c.put("signerVersion", version);
    }

    private static void trustedBy(Map<String, Object> c, String trustList, String verdict) {
        c.put("trustList", trustList);
        c.put("verdict", verdict);
    }

    private void put(String file, byte[] bytes) {
        if (files.put(file, bytes) != null) {
            throw new IllegalStateException("two cases write " + file);
        }
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write() throws IOException {
        for (String folder : FOLDERS) {
            Path dir = out.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path p : old.toList()) {
                        if (Files.isRegularFile(p)) {
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(dir);
        }
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(out.resolve(f.getKey()), f.getValue());
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("algorithm", "Cisco signed files (.tlv, .sgn, .enc.sgn)");
        manifest.put("generatorVersion", "1");
        manifest.put("numberOfTests", cases.size());
        manifest.put("notes", "Generated by org.phoneemu.core.vectors.VectorGenerator (phone-core test sources) from "
                + "fixed seeds; never edit by hand, see test-vectors/README.md. Each certs/*.pem holds a private key "
                + "and its self-signed certificate. Hashes are of the whole file. Invalid cases that still carry a "
                + "signature were re-signed after the edit, so the flagged defect is the only one.");
        manifest.put("flagNotes", flagNotes);
        manifest.put("testCases", cases);
        StringBuilder sb = new StringBuilder();
        json(sb, manifest, 0);
        sb.append('\n');
        Files.writeString(out.resolve("manifest.json"), sb.toString(), StandardCharsets.UTF_8);
        long total = files.values().stream().mapToLong(b -> b.length).sum();
        System.out.println("wrote " + cases.size() + " cases, " + files.size() + " files (" + total + " bytes) to " + out);
    }

    private static void json(StringBuilder sb, Object v, int indent) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(" ".repeat(indent + 1));
                string(sb, e.getKey().toString());
                sb.append(": ");
                json(sb, e.getValue(), indent + 1);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            sb.append(" ".repeat(indent)).append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                sb.append(" ".repeat(indent + 1));
                json(sb, l.get(i), indent + 1);
                sb.append(i + 1 < l.size() ? ",\n" : "\n");
            }
            sb.append(" ".repeat(indent)).append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v == null) {
            sb.append("null");
        } else {
            string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
