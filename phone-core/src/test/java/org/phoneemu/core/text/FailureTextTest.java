package org.phoneemu.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A failure in its own words: beneath the asynchronous and unchecked-I/O wrappers, never beneath the failure itself. */
class FailureTextTest {
    @Test
    void theWrappersOfAFutureAndOfUncheckedIoAreLookedThrough() {
        IOException disk = new IOException("No space left on device");
        CompletableFuture<Void> f = CompletableFuture.failedFuture(new UncheckedIOException(disk));
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);

        assertThat(FailureText.of(e)).isEqualTo("No space left on device");
        assertThat(FailureText.of(new CompletionException(new UncheckedIOException(disk)))).isEqualTo("No space left on device");
    }

    @Test
    void aFailureKeepsItsOwnWordsOverItsCausesAndIsNamedWhenItHasNone() {
        IllegalArgumentException e = new IllegalArgumentException("no node 'cucmsub2' in this cluster", new IOException("inner"));

        assertThat(FailureText.of(e)).isEqualTo("no node 'cucmsub2' in this cluster");
        assertThat(FailureText.of(new CompletionException(new IllegalStateException()))).isEqualTo("java.lang.IllegalStateException");
    }
}
