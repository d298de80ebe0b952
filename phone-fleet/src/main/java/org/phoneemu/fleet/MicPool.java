package org.phoneemu.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.ManufacturingCaStore;

/**
 * Manufacturer certificates for many phones without an RSA key generation per phone (which dominated a large
 * lab's set-up): a pool of RSA keys kept on disk across runs ({@code <dir>/rsa-<bits>/key-NNN.pem}, generated once),
 * and for each phone its own certificate (its own CN and serial) over one of the pool's keys, taken in turn, issued by
 * the simulated manufacturing CA kept in the same folder ({@code <dir>/manufacturing-ca.pem}, {@link ManufacturingCa}).
 * Phones of a fleet therefore share keys, never certificates or identities. Thread-safe.
 */
public final class MicPool {
    public static final int DEFAULT_SIZE = 64;

    private final List<KeyPair> keys;
    private final int bits;
    private final Clock clock;
    private final AtomicInteger next = new AtomicInteger();
    private final int generated;
    private final ManufacturingCa ca;

    private MicPool(List<KeyPair> keys, int bits, Clock clock, int generated, ManufacturingCa ca) {
        this.keys = keys;
        this.ca = ca;
        this.bits = bits;
        this.clock = clock;
        this.generated = generated;
    }

    /** Loads the pool from {@code dir}, generating (and saving) the keys it lacks. */
    public static MicPool open(Path dir, int bits, int size, Clock clock) throws IOException {
        Path folder = dir.resolve("rsa-" + bits);
        Files.createDirectories(folder);
        KeyPair[] pairs = new KeyPair[size];
        AtomicInteger generated = new AtomicInteger();
        List<IOException> failures = new ArrayList<>();
        IntStream.range(0, size).parallel().forEach(i -> {
            Path f = folder.resolve(String.format(Locale.ROOT, "key-%03d.pem", i));
            try {
                pairs[i] = read(f, bits);
                if (pairs[i] == null) {
                    pairs[i] = generate(bits);
                    write(f, pairs[i].getPrivate());
                    generated.incrementAndGet();
                }
            } catch (IOException e) {
                synchronized (failures) {
                    failures.add(e);
                }
            }
        });
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return new MicPool(List.of(pairs), bits, clock, generated.get(), ManufacturingCaStore.open(dir));
    }

    public int size() {
        return keys.size();
    }

    public int bits() {
        return bits;
    }

    /** How many keys this run had to generate (0 once the pool is on disk). */
    public int generated() {
        return generated;
    }

    /** The manufacturing CA that issues this pool's MICs (its root and intermediate belong in the cluster's CallManager-trust). */
    public ManufacturingCa ca() {
        return ca;
    }

    /** A new MIC for the phone {@code cn} (e.g. {@code CP-7970-SEP00AB00000001}): its own certificate, a pool key, the CA's intermediate after it. */
    public KeyMaterial issue(String cn) {
        KeyPair kp = keys.get(Math.floorMod(next.getAndIncrement(), keys.size()));
        return ca.issue(cn, kp, clock);
    }

    private static KeyPair read(Path f, int bits) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            PrivateKey key = PemFile.readPrivateKey(f);
            if (key instanceof RSAPrivateCrtKey rsa && rsa.getModulus().bitLength() == bits) {
                PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
                return new KeyPair(pub, key);
            }
        } catch (PemFiles.PemException | java.security.GeneralSecurityException e) {
            // A damaged pool file is replaced by a new key.
        }
        return null;
    }

    private static KeyPair generate(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    private static void write(Path f, PrivateKey key) throws IOException {
        // A name of its own: shards sharing a pool folder may write the same key at once; the last whole file wins.
        Path tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
        Files.writeString(tmp, PemFiles.toPem(key), StandardCharsets.US_ASCII);
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
