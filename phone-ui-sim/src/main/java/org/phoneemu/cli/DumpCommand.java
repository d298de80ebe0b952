package org.phoneemu.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.phoneemu.core.dump.ShowItlPrinter;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.TrustList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Print an ITL, CTL, .sgn or .enc.sgn file the way CUCM's 'show itl' prints an ITL.",
                "Exit 0 when the file parses (and a trust list verifies with its own signer record), "
                        + "1 when a trust list does not verify, 2 when the file is malformed."})
final class DumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the file to print")
    Path file;

    @Override
    public Integer call() {
        SignedFile signed = Inputs.signedFile(file);
        Optional<Instant> modified = modified(file);
        ZoneId zone = ZoneId.systemDefault();
        if (Inputs.looksLikeTrustList(file, signed)) {
            TrustList list = Inputs.trustList(file);
            spec.commandLine().getOut().print(ShowItlPrinter.print(list, modified, zone));
            spec.commandLine().getOut().flush();
            return list.verifiesItself() ? 0 : PhoneEmu.REFUSED;
        }
        String kind = signed.encryption().isPresent() ? "encrypted config" : "signed";
        spec.commandLine().getOut().print(ShowItlPrinter.printSignedFile(signed, kind, modified, zone));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static Optional<Instant> modified(Path p) {
        try {
            return Optional.of(Files.getLastModifiedTime(p).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
