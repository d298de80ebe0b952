package org.phoneemu.tftp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TftpOptionsTest {
    @Test
    void defaultsArePlainRfc1350() {
        TftpOptions d = TftpOptions.defaults();
        assertThat(d.requestOptions()).isEmpty();
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.retries()).isEqualTo(5);
        assertThat(d.maxSize()).isEqualTo(TftpOptions.UNLIMITED);
    }

    @Test
    void offeredOptionsInWireOrder() {
        TftpOptions o = TftpOptions.defaults().withBlockSize(1428).withTransferSize(true).withTimeoutOption(3);
        assertThat(o.requestOptions()).containsExactly(Map.entry("blksize", "1428"), Map.entry("tsize", "0"),
                Map.entry("timeout", "3"));
        assertThat(o.withoutNegotiation().requestOptions()).isEmpty();
        assertThat(o.withoutNegotiation().timeout()).isEqualTo(o.timeout());
    }

    @Test
    void outOfRangeValuesAreRefused() {
        TftpOptions d = TftpOptions.defaults();
        assertThatThrownBy(() -> d.withBlockSize(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withBlockSize(65_465)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withTimeoutOption(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
