package org.phoneemu.cli;

import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.phoneemu.phone.capture.PacketCapture;
import picocli.CommandLine.Option;

/**
 * {@code --pcap FILE} of boot, lab, fleet and capf (a picocli mixin): open before the phones' network, close once its event
 * loops have stopped.
 */
final class Captures {
    @Option(names = "--pcap", paramLabel = "FILE",
            description = "write the phones' TFTP (UDP), TVS, HTTPS and CAPF (TCP, TLS encrypted) traffic to a pcap file (Wireshark, tshark)")
    Path file;

    @Option(names = "--pcap-decrypted", description = "with --pcap: also write what the TLS connections carry in clear (TVS frames, the HTTPS requests and responses, CAPF messages) to <FILE>-decrypted.pcap")
    boolean decrypted;

    /** Checks the options before anything is started or wiped: the file's folder must exist. */
    void check() {
        if (file != null) {
            UserInput.newFile("--pcap", file);
        } else if (decrypted) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--pcap-decrypted needs --pcap FILE");
        }
    }

    /** The capture the options ask for, or null without {@code --pcap}. */
    PacketCapture open() {
        return open(file, decrypted);
    }

    /** The capture, or null without {@code --pcap}. */
    private static PacketCapture open(Path file, boolean decrypted) {
        if (file == null) {
            if (decrypted) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--pcap-decrypted needs --pcap FILE");
            }
            return null;
        }
        UserInput.newFile("--pcap", file);
        try {
            return decrypted ? PacketCapture.open(file, PacketCapture.decryptedFileFor(file)) : PacketCapture.open(file);
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Waits for {@code shutdown} (the last packets of closing connections), then writes the file. */
    static void close(PacketCapture capture, Future<?> shutdown, PrintWriter err) {
        if (capture == null) {
            return;
        }
        shutdown.awaitUninterruptibly(5_000);
        try {
            capture.close();
        } catch (IOException e) {
            err.println("phone-emu: " + e.getMessage());
        }
    }
}
