package org.phoneemu.core.io;

import java.nio.file.FileSystemException;

/**
 * An input file that passes one of {@link InputFiles}' limits (size, line length, nesting): a file-system problem
 * of the user's file, so every command reports it as one line naming the file and the limit.
 */
final class InputLimitException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    public InputLimitException(String file, String reason) {
        super(file, null, reason);
    }

    @Override
    public String getMessage() {
        return getFile() + ": " + getReason();
    }
}
