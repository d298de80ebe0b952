package org.phoneemu.core.tvs;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.pki.Certificates;

/**
 * The phone's in-memory cache of TVS verdicts: keyed by the SHA-256 of the certificate DER, each entry valid for
 * the TTL TVS gave (86400 s when it gave none), least-recently-used eviction beyond {@code capacity}, emptied
 * at reboot. Time comes from the injected clock.
 */
public final class TvsCache {
    /** The real phone's default: "Saving certificate in TVS cache with default time-to-live value: 86400 seconds". */
    public static final long DEFAULT_TTL_SECONDS = 86400;
    public static final int DEFAULT_CAPACITY = 256;

    /** A cached verdict. */
    public record Entry(String certificateHash, Instant expires) {
    }

    private final Clock clock;
    private final int capacity;
    private final LinkedHashMap<String, Entry> entries;
    private long hits;

    public TvsCache(Clock clock) {
        this(clock, DEFAULT_CAPACITY);
    }

    public TvsCache(Clock clock, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.clock = clock;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > TvsCache.this.capacity;
            }
        };
    }

    public static String key(X509Certificate cert) {
        return HexFormat.of().formatHex(Certificates.hash("SHA-256", Certificates.der(cert)));
    }

    /** A live entry for {@code cert}; an expired one is dropped. */
    public synchronized Optional<Entry> lookup(X509Certificate cert) {
        String key = key(cert);
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        hits++;
        return Optional.of(e);
    }

    /** Caches a valid verdict for {@code ttlSeconds} (the default when the server gave none). */
    public synchronized Entry put(X509Certificate cert, long ttlSeconds) {
        String key = key(cert);
        Entry e = new Entry(key, clock.instant().plus(Duration.ofSeconds(ttlSeconds)));
        entries.put(key, e);
        return e;
    }

    /** Lookups answered by a live entry since the cache was made (a reboot does not reset it). */
    public synchronized long hits() {
        return hits;
    }

    /** A reboot empties the cache. */
    public synchronized void clear() {
        entries.clear();
    }

    /** The live entries, most recently used last (for the phone's web page); expired ones are left out. */
    public synchronized java.util.List<Entry> entries() {
        Instant now = clock.instant();
        return entries.values().stream().filter(e -> now.isBefore(e.expires())).toList();
    }

    /** The clock the TTLs run on. */
    public Clock clock() {
        return clock;
    }

    public synchronized int size() {
        return entries.size();
    }
}
