package org.phoneemu.phone;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tvs.client.TvsClientOptions;
import org.phoneemu.tvs.https.HttpsOptions;

/** A phone's boot against TFTP peers on loopback that never answer, or answer "File not found" to everything. */
class PhoneBootTest {
    private static final String MAC = "001122334455";
    private static MultiThreadIoEventLoopGroup group;
    private static NettyPhoneNetwork network;

    @TempDir
    Path flash;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group, TftpOptions.defaults().withTimeout(Duration.ofMillis(200)).withRetries(1),
                TvsClientOptions.DEFAULTS, HttpsOptions.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private Phone phone(InetSocketAddress tftp) throws Exception {
        return Phone.builder().mac(MAC).tftpServer(tftp).flash(flash).network(network).micBits(1024).build();
    }

    @Test
    void aSilentServerIsReportedUnreachable() throws Exception {
        // A bound socket that never answers stands for a dead TFTP server.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            BootReport report = phone((InetSocketAddress) silent.getLocalSocketAddress()).boot().get(30, TimeUnit.SECONDS);
            assertThat(report.error()).hasValueSatisfying(e -> assertThat(e).startsWith("no answer from the TFTP server(s)"));
            assertThat(report.verdict()).isEqualTo("error");
        }
    }

    @Test
    void missingFilesAreAnAnswerAndTheUnsecuredPhoneAsksForItsConfigThenTheDefault() throws Exception {
        try (FileNotFoundTftpServer server = new FileNotFoundTftpServer()) {
            Phone phone = phone(server.address());

            BootReport report = phone.boot().get(30, TimeUnit.SECONDS);

            assertThat(report.error()).isEmpty();
            assertThat(report.verdict()).isEqualTo("config refused");
            List<String> requests = phone.consoleLog().lines().stream().map(ConsoleLine::text)
                    .filter(t -> t.contains(":Requesting ")).map(t -> t.substring(t.indexOf(":Requesting ") + 12, t.indexOf(" from ")))
                    .toList();
            assertThat(requests).containsExactly("CTLSEP" + MAC + ".tlv", "CTLFile.tlv", "ITLSEP" + MAC + ".tlv", "ITLFile.tlv",
                    "SEP" + MAC + ".cnf.xml", "XMLDefault.cnf.xml");
            assertThat(phone.consoleLog().contains("tftpClient: no configuration file could be downloaded; keeping the previous one")).isTrue();
        }
    }
}
