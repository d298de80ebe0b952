package org.phoneemu.core.tvs;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.TestPki;

class TvsCacheTest {
    static final X509Certificate A = TestPki.rsa("CN=a", 1024, 8).certificate();
    static final X509Certificate B = TestPki.rsa("CN=b", 1024, 8).certificate();
    static final X509Certificate C = TestPki.rsa("CN=c", 1024, 8).certificate();

    @Test
    void entriesLiveForTheirTtl() {
        VirtualClock clock = new VirtualClock(Instant.EPOCH);
        TvsCache cache = new TvsCache(clock);
        cache.put(A, 10);
        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.lookup(A)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.lookup(A)).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void leastRecentlyUsedIsEvicted() {
        TvsCache cache = new TvsCache(new VirtualClock(Instant.EPOCH), 2);
        cache.put(A, 100);
        cache.put(B, 100);
        cache.lookup(A);
        cache.put(C, 100);
        assertThat(cache.lookup(B)).isEmpty();
        assertThat(cache.lookup(A)).isPresent();
        assertThat(cache.lookup(C)).isPresent();
        cache.clear();
        assertThat(cache.lookup(A)).isEmpty();
    }

    @Test
    void hitsCountLiveAnswersOnlyAndOutliveAReboot() {
        VirtualClock clock = new VirtualClock(Instant.EPOCH);
        TvsCache cache = new TvsCache(clock);
        cache.lookup(A); // a miss
        cache.put(A, 10);
        cache.lookup(A);
        cache.lookup(A);
        clock.advance(Duration.ofSeconds(10));
        cache.lookup(A); // expired: a miss
        assertThat(cache.hits()).isEqualTo(2);
        cache.clear();
        assertThat(cache.hits()).isEqualTo(2);
    }
}
