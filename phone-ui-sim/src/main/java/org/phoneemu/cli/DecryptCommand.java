package org.phoneemu.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.phoneemu.core.encryption.DecryptionException;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.signedfile.SignedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = {"Decrypt an encrypted config (.enc.sgn) with the phone's private key and print the XML.",
                "Exit 0 decrypted, 1 wrong key or hash mismatch, 2 malformed."})
final class DecryptCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.enc.sgn", description = "the encrypted config")
    Path file;

    @Option(names = "--key", required = true, paramLabel = "PEM",
            description = "PEM holding the phone's private key (LSC or MIC) and optionally its certificate")
    Path key;

    @Override
    public Integer call() {
        SignedFile signed = Inputs.signedFile(file);
        java.security.PrivateKey privateKey = Inputs.privateKey(key);
        try {
            byte[] plain = EncryptedConfig.decrypt(signed, privateKey);
            spec.commandLine().getOut().print(new String(plain, StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (DecryptionException e) {
            int code = e.reason() == DecryptionException.Reason.NOT_ENCRYPTED ? PhoneEmu.BAD_INPUT : PhoneEmu.REFUSED;
            throw new UserError(code, file + ": " + e.getMessage());
        }
    }
}
