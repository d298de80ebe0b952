package org.phoneemu.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.phoneemu.core.io.FileProblem;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.TrustList;

/** Reading the CLI's input files, turning every failure into a one-line {@link UserError}. */
final class Inputs {
    /** Signed files larger than this are refused before reading (a config is at most 550001 bytes). */
    static final long MAX_FILE = 16L * 1024 * 1024;

    private Inputs() {
    }

    static byte[] read(Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new UserError(PhoneEmu.BAD_INPUT, path + ": is a folder, not a file");
            }
            // Bounded whatever the file claims its size is (/dev/zero, a pipe).
            return org.phoneemu.core.io.InputFiles.bytes(path, MAX_FILE);
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, FileProblem.reading(path, e));
        }
    }

    /** A trust list by extension or by the name in its header. */
    static boolean looksLikeTrustList(Path path, SignedFile file) {
        String name = file.filename().orElse(path.getFileName().toString());
        return name.endsWith(".tlv") || path.getFileName().toString().endsWith(".tlv");
    }

    static SignedFile signedFile(Path path) {
        try {
            return SignedFile.parse(read(path));
        } catch (MalformedFileException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, path + ": " + e.getMessage());
        }
    }

    static TrustList trustList(Path path) {
        try {
            return TrustList.parse(read(path), path.getFileName().toString());
        } catch (MalformedFileException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, path + ": " + e.getMessage());
        }
    }

    static java.security.PrivateKey privateKey(Path path) {
        try {
            return PemFile.readPrivateKey(path);
        } catch (PemFiles.PemException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }

    static KeyMaterial pem(Path path, boolean needKey) {
        try {
            return needKey ? PemFile.readWithKey(path) : PemFile.read(path);
        } catch (PemFiles.PemException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }
}
