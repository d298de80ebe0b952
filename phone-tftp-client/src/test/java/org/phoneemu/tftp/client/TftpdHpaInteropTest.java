package org.phoneemu.tftp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.testing.LossyUdpRelay;
import org.phoneemu.tftp.testing.TestFiles;
import org.phoneemu.tftp.testing.TftpdHpa;

/** The client against tftpd-hpa over loopback: exact bytes, with and without options, limits, loss. */
class TftpdHpaInteropTest {
    static final int[] SIZES = {0, 511, 512, 513, 5 * 1024, 700_000};

    @TempDir
    static Path dir;
    static TftpdHpa tftpd;
    static EventLoopGroup group;
    static TftpClient client;

    @BeforeAll
    static void start() throws Exception {
        for (int size : SIZES) {
            TftpdHpa.writeServed(dir, "f" + size + ".bin", TestFiles.content(size));
        }
        TftpdHpa.writeServed(dir, "wrap.bin", TestFiles.content(65_536 * 8 + 3));
        // -T: retransmit after 100 ms instead of 1 s, so the lossy test recovers quickly.
        tftpd = TftpdHpa.startOrSkip(dir, "-T", "100000");
        group = new NioEventLoopGroup(2);
        client = new TftpClient(group);
    }

    @AfterAll
    static void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (tftpd != null) {
            tftpd.close();
        }
    }

    static final TftpOptions PLAIN = TftpOptions.defaults();
    static final TftpOptions NEGOTIATED = TftpOptions.defaults().withBlockSize(1428).withTransferSize(true).withTimeoutOption(2);

    static Stream<Arguments> sizesAndOptions() {
        List<Arguments> args = new ArrayList<>();
        for (int size : SIZES) {
            args.add(Arguments.of(size, "plain", PLAIN));
            args.add(Arguments.of(size, "blksize 1428 + tsize + timeout", NEGOTIATED));
            args.add(Arguments.of(size, "blksize 512 + tsize", TftpOptions.defaults().withBlockSize(512).withTransferSize(true)));
        }
        return args.stream();
    }

    private static TftpResult read(String name, TftpOptions options) throws Exception {
        return client.read(tftpd.address(), name, options).get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0} bytes, {1}")
    @MethodSource("sizesAndOptions")
    void downloadsExactBytes(int size, String label, TftpOptions options) throws Exception {
        assertThat(read("f" + size + ".bin", options)).isEqualTo(new TftpResult.Received(TestFiles.content(size)));
    }

    @Test
    void missingFileIsFileNotFound() throws Exception {
        assertThat(read("SEP001122334455.cnf.xml", PLAIN)).isEqualTo(new TftpResult.FileNotFound());
        assertThat(read("CTLSEP001122334455.tlv", NEGOTIATED)).isEqualTo(new TftpResult.FileNotFound());
    }

    @Test
    void overTheConfigLimitIsTooLargeWithOrWithoutTsize() throws Exception {
        long limit = TftpOptions.PHONE_CONFIG_MAX_SIZE;
        // Without tsize the client counts and stops at the block that crosses the limit.
        assertThat(read("f700000.bin", PLAIN.withMaxSize(limit))).isEqualTo(new TftpResult.TooLarge(limit));
        // With tsize the server announces 700000 in its OACK and the client refuses before any data.
        assertThat(read("f700000.bin", NEGOTIATED.withMaxSize(limit))).isEqualTo(new TftpResult.TooLarge(limit));
        // A limit equal to the size is accepted.
        assertThat(read("f5120.bin", PLAIN.withMaxSize(5120))).isInstanceOf(TftpResult.Received.class);
        assertThat(read("f5120.bin", NEGOTIATED.withMaxSize(5119))).isEqualTo(new TftpResult.TooLarge(5119));
    }

    @Test
    void blockNumbersWrapAroundWithTinyBlocks() throws Exception {
        // blksize 8: 65540 blocks, so block numbers go 65535 -> 0 -> 1 -> 2 -> 3 (tftpd-hpa's default rollover to 0).
        TftpResult r = read("wrap.bin", TftpOptions.defaults().withBlockSize(8));
        assertThat(r).isEqualTo(new TftpResult.Received(TestFiles.content(65_536 * 8 + 3)));
    }

    @Test
    void bootSequenceAgainstTftpdHpa() throws Exception {
        String mac = "0011215A1AE3";
        TftpdHpa.writeServed(dir, "CTLFile.tlv", TestFiles.content(4762));
        TftpdHpa.writeServed(dir, "ITLSEP" + mac + ".tlv", TestFiles.content(5438));
        ConsoleLog log = new ConsoleLog("SEP" + mac, Clock.systemUTC());
        BootDownloader boot = new BootDownloader(mac, List.of(tftpd.address()), log, client, NEGOTIATED, 27);

        BootDownloader.TrustLists tl = boot.fetchTrustLists().get(2, TimeUnit.MINUTES);

        assertThat(tl.ctl().name()).isEqualTo("CTLFile.tlv");
        assertThat(tl.ctl().result()).isEqualTo(new TftpResult.Received(TestFiles.content(4762)));
        assertThat(tl.itl().result()).isEqualTo(new TftpResult.Received(TestFiles.content(5438)));
        assertThat(log.lines().stream().map(ConsoleLine::text)).containsExactly(
                "SECD: tlRequestFile: Request CTLSEP0011215A1AE3.tlv",
                "TFTP: [27]:Requesting CTLSEP0011215A1AE3.tlv from 127.0.0.1",
                "TFTP: [27]:File Not Found : CTLSEP0011215A1AE3.tlv",
                "SECD: tlRequestFile: Request CTLFile.tlv",
                "TFTP: [28]:Requesting CTLFile.tlv from 127.0.0.1",
                "TFTP: [28]:Finished --> rcvd 4762 bytes",
                "SECD: tlRequestFile: Request ITLSEP0011215A1AE3.tlv",
                "TFTP: [29]:Requesting ITLSEP0011215A1AE3.tlv from 127.0.0.1",
                "TFTP: [29]:Finished --> rcvd 5438 bytes");
    }

    @Test
    void serverRefusingEveryOptionAnswersWithPlainData() throws Exception {
        // tftpd-hpa -r NAME ignores that option (it is left out of the OACK; with none left there is no OACK at
        // all and block 1 comes straight away), which is the RFC 2347 "server ignores options" case.
        try (TftpdHpa refusing = TftpdHpa.startOrSkip(dir, "-r", "blksize", "-r", "tsize", "-r", "timeout")) {
            for (int size : new int[] {0, 512, 5 * 1024}) {
                assertThat(client.read(refusing.address(), "f" + size + ".bin", NEGOTIATED).get(2, TimeUnit.MINUTES))
                        .isEqualTo(new TftpResult.Received(TestFiles.content(size)));
            }
            // Without tsize in the OACK the limit is enforced while counting.
            assertThat(client.read(refusing.address(), "f700000.bin", NEGOTIATED.withMaxSize(550_001)).get(2, TimeUnit.MINUTES))
                    .isEqualTo(new TftpResult.TooLarge(550_001));
        }
    }

    @Test
    void manyConcurrentDownloads() throws Exception {
        List<CompletableFuture<TftpResult>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(client.read(tftpd.address(), "f5120.bin", i % 2 == 0 ? PLAIN : NEGOTIATED));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        TftpResult expected = new TftpResult.Received(TestFiles.content(5120));
        assertThat(all).allSatisfy(f -> assertThat(f.join()).isEqualTo(expected));
    }

    @Test
    void lossyRelayNeverCorruptsData() throws Exception {
        try (LossyUdpRelay relay = new LossyUdpRelay(tftpd.address(), 20240531L, 0.08, 0.06, 0.06).start()) {
            TftpOptions lossy = TftpOptions.defaults().withTimeout(Duration.ofMillis(150)).withRetries(10);
            List<Integer> sizes = new ArrayList<>();
            List<CompletableFuture<TftpResult>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int size : SIZES) {
                    // 700 KB goes in 8 KB blocks (86 round trips instead of 1368) to keep the test short.
                    TftpOptions o = size == 700_000 ? lossy.withBlockSize(8192).withTransferSize(true)
                            : round % 2 == 0 ? lossy : lossy.withBlockSize(1428).withTransferSize(true);
                    sizes.add(size);
                    results.add(client.read(relay.address(), "f" + size + ".bin", o));
                }
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
            int received = 0;
            for (int i = 0; i < results.size(); i++) {
                TftpResult r = results.get(i).join();
                String name = "f" + sizes.get(i) + ".bin";
                assertThat(r).as(name).isInstanceOfAny(TftpResult.Received.class, TftpResult.TimedOut.class);
                if (r instanceof TftpResult.Received rcvd) {
                    assertThat(rcvd.data()).as(name).isEqualTo(TestFiles.content(sizes.get(i)));
                    received++;
                }
            }
            System.out.printf("lossy relay: %d/%d downloads received, forwarded %d, dropped %d, duplicated %d, delayed %d%n",
                    received, results.size(), relay.forwarded.get(), relay.dropped.get(), relay.duplicated.get(), relay.delayed.get());
            assertThat(received).as("downloads that made it through 20 %% impairment").isGreaterThan(results.size() / 2);
            assertThat(relay.dropped.get()).isPositive();
            assertThat(relay.duplicated.get()).isPositive();
            assertThat(relay.delayed.get()).isPositive();
        }
    }
}
