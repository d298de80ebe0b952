package org.phoneemu.core.fuzz;

import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.core.dump.ShowItlPrinter;
import org.phoneemu.core.encryption.DecryptionException;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * Coverage-guided fuzzing (Jazzer) of the signed-file codec, the trust-list reader and the encrypted-config
 * decryption. The contract under test: for any input bytes, the only exception that escapes is the codec's
 * typed one ({@link MalformedFileException}, and {@link DecryptionException} for decryption); everything a
 * successfully parsed file offers ({@code show itl}, keys, certificates, signature check) never throws.
 *
 * <p>Each target catches exactly its typed exception and returns; any other {@link Throwable} leaves the
 * method, which Jazzer reports as a finding and which fails the test. Hangs and OOMs are findings too.
 *
 * <p>Seeds: the interop vectors ({@code test-vectors/interop}) through {@link MethodSource}, plus the files
 * in {@code src/test/resources/org/phoneemu/core/fuzz/SignedFileFuzzTestInputs/<method>/} (copies of a few
 * vectors, and the regression input of every finding). Without {@code JAZZER_FUZZ} each method only replays
 * those seeds, as an ordinary parameterized test; with {@code JAZZER_FUZZ=1} one method is fuzzed per JVM.
 * The short run of every target in {@code mvn verify}, and longer runs, are described in docs/FUZZING.md.
 */
class SignedFileFuzzTest {
    // Length of each target's bounded run in `mvn verify` (about 20 s in all); docs/FUZZING.md runs longer.
    private static final String SHORT_RUN = "6s";
    private static final String TRUST_LIST_RUN = "8s";

    /** The phone's LSC: the interop encrypted config is wrapped to it. */
    private static final PrivateKey PHONE_KEY;
    /** The CallManager certificate's key: the interop .sgn and trust lists are signed with it. */
    private static final PublicKey SIGNER_KEY;

    static {
        try {
            PHONE_KEY = PemFile.readWithKey(Vectors.interop("certs/phone-lsc.pem")).privateKey();
            KeyMaterial callManager = PemFile.read(Vectors.interop("certs/callmanager.pem"));
            SIGNER_KEY = callManager.certificate().getPublicKey();
        } catch (PemFiles.PemException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link SignedFile#parse} and what a parsed file offers: body, signed bytes, signature check, dump. */
    @MethodSource("signedFileSeeds")
    @FuzzTest(maxDuration = SHORT_RUN)
    void parseSignedFile(byte[] data) {
        SignedFile file;
        try {
            file = SignedFile.parse(data);
        } catch (MalformedFileException expected) {
            return;
        }
        file.body();
        file.signedBytes();
        file.md5Hex();
        file.filename();
        file.timestamp();
        file.signerVersion();
        file.encryption();
        file.signer().serialNumber();
        file.verifySignature(SIGNER_KEY);
        ShowItlPrinter.printSignedFile(file, "fuzz", Optional.empty(), ZoneOffset.UTC);
    }

    /** {@link TrustList#parse}, then self-verification, every record's key/certificate/role and {@code show itl}. */
    @MethodSource("trustListSeeds")
    @FuzzTest(maxDuration = TRUST_LIST_RUN)
    void parseTrustList(byte[] data) {
        TrustList list;
        try {
            list = TrustList.parse(data);
        } catch (MalformedFileException expected) {
            return;
        }
        list.verifiesItself();
        for (TrustRecord record : list.records()) {
            record.publicKey();
            record.certificate();
            record.roleName();
        }
        ShowItlPrinter.print(list, Optional.empty(), ZoneOffset.UTC);
    }

    /** {@link EncryptedConfig#decrypt} with the phone's real key, so mutations get past the RSA unwrap. */
    @MethodSource("encryptedConfigSeeds")
    @FuzzTest(maxDuration = SHORT_RUN)
    void decryptConfig(byte[] data) {
        SignedFile file;
        try {
            file = SignedFile.parse(data);
        } catch (MalformedFileException expected) {
            return;
        }
        try {
            EncryptedConfig.decrypt(file, PHONE_KEY);
        } catch (DecryptionException expected) {
            // The typed failure: wrong key, bad padding, hash mismatch...
        }
    }

    static Stream<Arguments> signedFileSeeds() {
        return seeds("sgn/SEP001122334455.cnf.xml.sgn", "sgn/SEP001122334455-tampered.cnf.xml.sgn",
                "sgn/SEP001122334455-signed-by-regenerated-callmanager.cnf.xml.sgn",
                "enc/SEP001122334455.cnf.xml.sgn", "enc/SEP001122334455.cnf.xml.enc.sgn",
                "itl/ITLFile.tlv", "ctl/CTLFile.tlv");
    }

    static Stream<Arguments> trustListSeeds() {
        return seeds("itl/ITLFile.tlv", "itl/ITLFile-after-callmanager-regen.tlv", "itl/ITLFile-rogue.tlv",
                "itl/ITLFile-signed-by-itlrecovery.tlv", "itl/ITLFile-tampered.tlv", "itl/ITLFile-truncated.tlv",
                "ctl/CTLFile.tlv", "ctl/CTLFile-after-hostname-change.tlv");
    }

    static Stream<Arguments> encryptedConfigSeeds() {
        return seeds("enc/SEP001122334455.cnf.xml.enc.sgn", "enc/SEP001122334455.cnf.xml.sgn");
    }

    private static Stream<Arguments> seeds(String... vectors) {
        return Stream.of(vectors).map(v -> arguments(named(v, Vectors.read(Vectors.interop(v)))));
    }
}
