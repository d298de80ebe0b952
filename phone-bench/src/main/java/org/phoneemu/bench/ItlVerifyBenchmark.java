package org.phoneemu.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * Cost of reading the 6-record interop ITL ({@code test-vectors/interop/itl/ITLFile.tlv}, RSA-2048, SHA-1):
 * the signed-file envelope alone, the whole trust list, and the whole trust list plus its self-signature check.
 * The other methods split that cost: {@code parseAndDecodeSignerKey} stops before the RSA check,
 * {@code verifyPreparsed} checks the signature of an already parsed list (record key decoded once and cached),
 * and {@code jdkVerifyOnly} is the control: the bare JDK {@code SHA1withRSA} check of the same bytes with the
 * same key, no phone-core code at all (the floor any phone-core change can reach on this JDK).
 *
 * <p>The file is taken from the system property {@code phoneemu.itl}, else found by walking up from the working
 * directory to a directory holding {@code test-vectors/interop/itl/ITLFile.tlv}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
public class ItlVerifyBenchmark {
    static final String PROPERTY = "phoneemu.itl";
    static final String DEFAULT_RELATIVE = "test-vectors/interop/itl/ITLFile.tlv";

    /** The JCA provider of the crypto: the JDK's own, or the Amazon Corretto Crypto Provider put first. */
    @Param({"jdk", "accp"})
    public String provider;

    private byte[] itl;
    private TrustList preparsed;
    private PublicKey signerKey;
    private byte[] signedBytes;
    private byte[] signature;
    private String signatureAlgorithm;

    @Setup(Level.Trial)
    public void load() throws MalformedFileException {
        if (provider.equals("accp")) {
            // Each @Param value runs in its own fork, so the JDK runs never see ACCP.
            com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
                    com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                throw new IllegalStateException("ACCP does not load here: " + accp.getLoadingError());
            }
            com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.install();
        }
        Path path = locate();
        try {
            itl = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        preparsed = TrustList.parse(itl);
        // A benchmark of a check that fails would measure the wrong path: refuse to run.
        if (!preparsed.verifiesItself()) {
            throw new IllegalStateException(path + " (" + itl.length + " bytes) does not verify itself");
        }
        if (!TrustList.parse(itl).verifiesItself()) {
            throw new IllegalStateException(path + " does not verify itself on a fresh parse");
        }
        signerKey = preparsed.signerRecord().flatMap(TrustRecord::publicKey).orElseThrow();
        signedBytes = preparsed.file().signedBytes();
        signature = preparsed.file().signature().toArray();
        signatureAlgorithm = preparsed.file().digest().rsaSignatureName();
        try {
            if (!jdkVerifyOnly()) {
                throw new IllegalStateException("the bare JDK check disagrees with verifiesItself()");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path locate() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + configured + " is not a file");
            }
            return p;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + DEFAULT_RELATIVE + " above " + Path.of("").toAbsolutePath()
                + "; pass -D" + PROPERTY + "=/path/to/ITLFile.tlv");
    }

    /** The signed-file envelope only (header TLVs, signer id; no records, no crypto). */
    @Benchmark
    public SignedFile parseSignedFile() throws MalformedFileException {
        return SignedFile.parse(itl);
    }

    /** Envelope plus the six records (no crypto). */
    @Benchmark
    public TrustList parseTrustList() throws MalformedFileException {
        return TrustList.parse(itl);
    }

    /** What a phone does with a downloaded ITL: parse, find the signer record, decode its key, verify. */
    @Benchmark
    public boolean parseAndVerify() throws MalformedFileException {
        return TrustList.parse(itl).verifiesItself();
    }

    /** The signature check alone, on a list parsed once (its signer key is decoded once and cached). */
    @Benchmark
    public boolean verifyPreparsed() {
        return preparsed.verifiesItself();
    }

    /** Parse, find the signer record, decode its public key: everything but the RSA check. */
    @Benchmark
    public Optional<PublicKey> parseAndDecodeSignerKey() throws MalformedFileException {
        return TrustList.parse(itl).signerRecord().flatMap(TrustRecord::publicKey);
    }

    /** Control: the JDK's own SHA1withRSA check of the same signed bytes with the same key. */
    @Benchmark
    public boolean jdkVerifyOnly() throws GeneralSecurityException {
        Signature verifier = Signature.getInstance(signatureAlgorithm);
        verifier.initVerify(signerKey);
        verifier.update(signedBytes);
        return verifier.verify(signature);
    }
}
