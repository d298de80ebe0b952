package org.phoneemu.core.io.internal;

import java.nio.file.FileSystemException;

/**
 * A file that exists but cannot serve its purpose (e.g. a kept key that does not match its certificate), and is left
 * as it is: a file-system problem of that file, so every command reports it as one line, in these words.
 */
public final class UnusableFileException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    public UnusableFileException(String file, String reason) {
        super(file, null, reason);
    }

    @Override
    public String getMessage() {
        return getFile() + ": " + getReason();
    }
}
