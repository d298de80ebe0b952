package org.phoneemu.core.text;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failure in its own words, for a one-line error: the failure beneath the wrappers that asynchronous and unchecked
 * I/O put around it ({@code CompletionException}, {@code ExecutionException}, {@code UncheckedIOException}), its message
 * as is, or its class and nothing else when it has none. (A network failure, named by its innermost cause and class,
 * is phone-tls-client's {@code TlsFailures.rootMessage}.)
 */
public final class FailureText {
    private FailureText() {
    }

    public static String of(Throwable e) {
        Throwable t = beneathWrappers(e);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The failure itself: {@code e} without the asynchronous and unchecked-I/O wrappers around it. */
    public static Throwable beneathWrappers(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
