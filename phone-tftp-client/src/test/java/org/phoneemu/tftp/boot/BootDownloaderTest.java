package org.phoneemu.tftp.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.tftp.client.TftpClient;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpResult;
import org.phoneemu.tftp.testing.InMemoryTftpServer;
import org.phoneemu.tftp.testing.TestFiles;

class BootDownloaderTest {
    static final String MAC = "0011215A1AE3";
    static final TftpOptions FAST = TftpOptions.defaults().withTimeout(Duration.ofMillis(50)).withRetries(1);
    static EventLoopGroup group;

    InMemoryTftpServer server;
    ConsoleLog log;
    TftpClient client;

    @BeforeAll
    static void startGroup() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void start() throws Exception {
        server = new InMemoryTftpServer(group, 500).start();
        log = new ConsoleLog("SEP" + MAC, new VirtualClock(Instant.parse("2024-01-01T09:13:17Z")));
        client = new TftpClient(group);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> texts() {
        return log.lines().stream().map(ConsoleLine::text).toList();
    }

    @Test
    void perDeviceTrustListsWhenTheServerHasThem() throws Exception {
        server.put("CTLSEP" + MAC + ".tlv", TestFiles.content(4762)).put("ITLSEP" + MAC + ".tlv", TestFiles.content(5438));
        BootDownloader boot = new BootDownloader(MAC, List.of(server.address()), log, client, TftpOptions.defaults(), 27);

        BootDownloader.TrustLists tl = boot.fetchTrustLists().get(10, TimeUnit.SECONDS);

        assertThat(tl.ctl().name()).isEqualTo("CTLSEP0011215A1AE3.tlv");
        assertThat(tl.ctl().result()).isEqualTo(new TftpResult.Received(TestFiles.content(4762)));
        assertThat(tl.itl().name()).isEqualTo("ITLSEP0011215A1AE3.tlv");
        assertThat(tl.itl().result()).isEqualTo(new TftpResult.Received(TestFiles.content(5438)));
        assertThat(texts()).containsExactly(
                "SECD: tlRequestFile: Request CTLSEP0011215A1AE3.tlv",
                "TFTP: [27]:Requesting CTLSEP0011215A1AE3.tlv from 127.0.0.1",
                "TFTP: [27]:Finished --> rcvd 4762 bytes",
                "SECD: tlRequestFile: Request ITLSEP0011215A1AE3.tlv",
                "TFTP: [28]:Requesting ITLSEP0011215A1AE3.tlv from 127.0.0.1",
                "TFTP: [28]:Finished --> rcvd 5438 bytes");
    }

    @Test
    void fallsBackToClusterWideNamesAndThenFetchesTheConfigTheCallerChose() throws Exception {
        server.put("CTLFile.tlv", TestFiles.content(4762)).put("ITLSEP" + MAC + ".tlv", TestFiles.content(5438))
                .put("SEP" + MAC + ".cnf.xml.sgn", TestFiles.content(7652));
        BootDownloader boot = new BootDownloader(MAC, List.of(server.address()), log, client);

        BootDownloader.TrustLists tl = boot.fetchTrustLists().get(10, TimeUnit.SECONDS);
        BootDownloader.Download cfg = boot.fetch("SEP" + MAC + ".cnf.xml.sgn", TftpOptions.PHONE_CONFIG_MAX_SIZE)
                .get(10, TimeUnit.SECONDS);

        assertThat(tl.ctl().name()).isEqualTo("CTLFile.tlv");
        assertThat(tl.ctl().received()).isTrue();
        assertThat(tl.itl().name()).isEqualTo("ITLSEP0011215A1AE3.tlv");
        assertThat(cfg.result()).isEqualTo(new TftpResult.Received(TestFiles.content(7652)));
        assertThat(texts()).containsExactly(
                "SECD: tlRequestFile: Request CTLSEP0011215A1AE3.tlv",
                "TFTP: [1]:Requesting CTLSEP0011215A1AE3.tlv from 127.0.0.1",
                "TFTP: [1]:File Not Found : CTLSEP0011215A1AE3.tlv",
                "SECD: tlRequestFile: Request CTLFile.tlv",
                "TFTP: [2]:Requesting CTLFile.tlv from 127.0.0.1",
                "TFTP: [2]:Finished --> rcvd 4762 bytes",
                "SECD: tlRequestFile: Request ITLSEP0011215A1AE3.tlv",
                "TFTP: [3]:Requesting ITLSEP0011215A1AE3.tlv from 127.0.0.1",
                "TFTP: [3]:Finished --> rcvd 5438 bytes",
                "TFTP: [4]:Requesting SEP0011215A1AE3.cnf.xml.sgn from 127.0.0.1 with size limit of 550001",
                "TFTP: [4]:Finished --> rcvd 7652 bytes");
    }

    @Test
    void noTrustListsAtAll() throws Exception {
        BootDownloader boot = new BootDownloader(MAC, List.of(server.address()), log, client);
        BootDownloader.TrustLists tl = boot.fetchTrustLists().get(10, TimeUnit.SECONDS);
        assertThat(tl.ctl().name()).isEqualTo("CTLFile.tlv");
        assertThat(tl.ctl().result()).isEqualTo(new TftpResult.FileNotFound());
        assertThat(tl.itl().name()).isEqualTo("ITLFile.tlv");
        assertThat(tl.itl().result()).isEqualTo(new TftpResult.FileNotFound());
        assertThat(tl.itl().data()).isEmpty();
        assertThat(boot.unreachable()).as("a missing file is an answer").isFalse();
        assertThat(texts()).contains("TFTP: [4]:File Not Found : ITLFile.tlv");
    }

    @Test
    void configOverTheLimitIsLoggedWithTheLimit() throws Exception {
        server.put("SEP" + MAC + ".cnf.xml", TestFiles.content(700_000));
        BootDownloader boot = new BootDownloader(MAC, List.of(server.address()), log, client);
        BootDownloader.Download d = boot.fetch("SEP" + MAC + ".cnf.xml", 550_001).get(10, TimeUnit.SECONDS);
        assertThat(d.result()).isEqualTo(new TftpResult.TooLarge(550_001));
        assertThat(texts()).containsExactly(
                "TFTP: [1]:Requesting SEP0011215A1AE3.cnf.xml from 127.0.0.1 with size limit of 550001",
                "TFTP: [1]:File Too Large : SEP0011215A1AE3.cnf.xml max size = 550001");
    }

    @Test
    void timedOutServerIsSkippedAndTheAnsweringOneIsAskedFirstNextTime() throws Exception {
        server.put("CTLFile.tlv", TestFiles.content(100)).put("ITLFile.tlv", TestFiles.content(200));
        // 127.0.0.2 is loopback too: a bound socket that never answers stands for a dead TFTP server.
        try (DatagramSocket dead = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            InetSocketAddress deadAddress = (InetSocketAddress) dead.getLocalSocketAddress();
            BootDownloader boot = new BootDownloader(MAC, List.of(deadAddress, server.address()), log, client, FAST, 1);

            BootDownloader.TrustLists tl = boot.fetchTrustLists().get(10, TimeUnit.SECONDS);

            assertThat(tl.ctl().server()).isEqualTo(server.address());
            assertThat(tl.ctl().result()).isEqualTo(new TftpResult.Received(TestFiles.content(100)));
            assertThat(boot.unreachable()).as("a timeout on one server, answers from the next").isFalse();
            assertThat(tl.itl().result()).isEqualTo(new TftpResult.Received(TestFiles.content(200)));
            assertThat(texts()).containsExactly(
                    "SECD: tlRequestFile: Request CTLSEP0011215A1AE3.tlv",
                    "TFTP: [1]:Requesting CTLSEP0011215A1AE3.tlv from 127.0.0.2",
                    "TFTP: [1]:Timed Out : CTLSEP0011215A1AE3.tlv from 127.0.0.2 after 2 attempts",
                    "TFTP: [2]:Requesting CTLSEP0011215A1AE3.tlv from 127.0.0.1",
                    "TFTP: [2]:File Not Found : CTLSEP0011215A1AE3.tlv",
                    "SECD: tlRequestFile: Request CTLFile.tlv",
                    "TFTP: [3]:Requesting CTLFile.tlv from 127.0.0.1",
                    "TFTP: [3]:Finished --> rcvd 100 bytes",
                    "SECD: tlRequestFile: Request ITLSEP0011215A1AE3.tlv",
                    "TFTP: [4]:Requesting ITLSEP0011215A1AE3.tlv from 127.0.0.1",
                    "TFTP: [4]:File Not Found : ITLSEP0011215A1AE3.tlv",
                    "SECD: tlRequestFile: Request ITLFile.tlv",
                    "TFTP: [5]:Requesting ITLFile.tlv from 127.0.0.1",
                    "TFTP: [5]:Finished --> rcvd 200 bytes");
        }
    }

    @Test
    void everyServerTimedOut() throws Exception {
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
             DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0))) {
            BootDownloader boot = new BootDownloader(MAC, List.of((InetSocketAddress) a.getLocalSocketAddress(),
                    (InetSocketAddress) b.getLocalSocketAddress()), log, client, FAST, 1);
            BootDownloader.Download d = boot.fetch("SEP" + MAC + ".cnf.xml", 550_001).get(10, TimeUnit.SECONDS);
            assertThat(d.result()).isEqualTo(new TftpResult.TimedOut(2));
            assertThat(d.server()).isEqualTo(b.getLocalSocketAddress());
            assertThat(boot.unreachable()).as("nothing answered, a download timed out").isTrue();
            boot.newBoot();
            assertThat(boot.unreachable()).as("a new boot starts undecided").isFalse();
            assertThat(texts()).containsExactly(
                    "TFTP: [1]:Requesting SEP0011215A1AE3.cnf.xml from 127.0.0.2 with size limit of 550001",
                    "TFTP: [1]:Timed Out : SEP0011215A1AE3.cnf.xml from 127.0.0.2 after 2 attempts",
                    "TFTP: [2]:Requesting SEP0011215A1AE3.cnf.xml from 127.0.0.3 with size limit of 550001",
                    "TFTP: [2]:Timed Out : SEP0011215A1AE3.cnf.xml from 127.0.0.3 after 2 attempts");
        }
    }
}
