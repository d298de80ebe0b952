package org.phoneemu.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;

/**
 * {@code fleet --tftp} against a server whose file never ends (its blocks keep coming, each in time): the probe
 * counts it as answering, each phone's boot ends as an error in its row, the run ends with its table and exit 1,
 * not with a TimeoutException (exit 3) after the probe's 30 s.
 */
class FleetAgainstHostileTftpTest {
    @TempDir
    Path tmp;

    @Test
    void aServerThatNeverFinishesAFileGivesAClearResult() throws Exception {
        byte[] block = new byte[512];
        try (HostileTftpServer hostile = new HostileTftpServer(HostileTftpServer.Mode.ENDLESS, InetAddress.getByName("127.0.0.6"),
                name -> Optional.of(block))) {
            Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.6:" + hostile.address().getPort(), "--phones", "2", "--flash", "memory",
                    "--boot-timeout", "5", "--progress", "0", "--key-pool", tmp.resolve("keys").toString(), "--report",
                    tmp.resolve("r").toString());
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.out()).contains("0 of 2 phones ended trusted.");
            assertThat(r.out() + r.err()).doesNotContain("internal error", "Exception");
            assertThat(Files.readAllLines(tmp.resolve("r/phones.csv"))).hasSize(3).allMatch(l -> l.startsWith("mac,") || l.contains(",error,"));
        }
    }

    /**
     * CUCM's TFTP service refuses requests past its "Maximum Serving Count" with an error packet. Every such refusal
     * is a {@code server-refused} row, counted apart from trust failures and the phones' own errors.
     */
    @Test
    void aServerThatRefusesEveryRequestIsCountedAsServerRefused() throws Exception {
        try (java.net.DatagramSocket server = new java.net.DatagramSocket(new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.6"), 0))) {
            Thread refuser = new Thread(() -> {
                byte[] buf = new byte[600];
                byte[] busy = "\0\5\0\0server busy\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1); // ERROR, code 0
                while (!server.isClosed()) {
                    try {
                        java.net.DatagramPacket rrq = new java.net.DatagramPacket(buf, buf.length);
                        server.receive(rrq);
                        server.send(new java.net.DatagramPacket(busy, busy.length, rrq.getSocketAddress()));
                    } catch (java.io.IOException e) {
                        return; // closed
                    }
                }
            }, "refusing-tftp");
            refuser.setDaemon(true);
            refuser.start();
            Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.6:" + server.getLocalPort(), "--phones", "3", "--flash", "memory",
                    "--progress", "0", "--key-pool", tmp.resolve("keys").toString(), "--report", tmp.resolve("r").toString());
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.out()).contains("server-refused", "0 of 3 phones ended trusted.").doesNotContain("Exception");
            assertThat(Files.readAllLines(tmp.resolve("r/phones.csv")).subList(1, 4))
                    .allMatch(l -> l.contains(",server-refused,") && l.contains("server error 0: server busy"));
            assertThat(Files.readString(tmp.resolve("r/summary.json"))).contains("\"server-refused\": 3");
        }
    }
}
