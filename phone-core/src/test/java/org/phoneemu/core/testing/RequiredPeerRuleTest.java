package org.phoneemu.core.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The CI=true rule the tftpd-hpa tests rely on (the helper lives in phone-core's test jar, shared by every module). */
class RequiredPeerRuleTest {
    @Test
    void missingPeerFailsWhenCiIsTrue() {
        assertThatThrownBy(() -> RequiredPeer.require(false, "tftpd-hpa", Map.of("CI", "true")))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("tftpd-hpa is required when CI=true");
    }

    @Test
    void missingPeerSkipsOtherwise() {
        assertThatThrownBy(() -> RequiredPeer.require(false, "tftpd-hpa", Map.of()))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("skipping");
        assertThatThrownBy(() -> RequiredPeer.require(false, "tftpd-hpa", Map.of("CI", "false")))
                .isInstanceOf(TestAbortedException.class);
    }

    @Test
    void presentPeerPasses() {
        assertThatCode(() -> RequiredPeer.require(true, "tftpd-hpa", Map.of("CI", "true"))).doesNotThrowAnyException();
    }
}
