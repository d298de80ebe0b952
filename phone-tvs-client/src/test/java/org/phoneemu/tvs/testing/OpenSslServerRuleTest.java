package org.phoneemu.tvs.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing openssl skips the interop tests locally and fails them under CI=true. */
class OpenSslServerRuleTest {
    @Test
    void missingOpensslFailsUnderCi() {
        assertThatThrownBy(() -> OpenSslServer.require(false, "true"))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true");
    }

    @Test
    void missingOpensslSkipsElsewhere() {
        assertThatThrownBy(() -> OpenSslServer.require(false, null)).isInstanceOf(TestAbortedException.class);
        assertThatThrownBy(() -> OpenSslServer.require(false, "false")).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void presentOpensslRuns() {
        assertThatCode(() -> OpenSslServer.require(true, "true")).doesNotThrowAnyException();
        assertThatCode(() -> OpenSslServer.require(true, null)).doesNotThrowAnyException();
    }
}
