package org.phoneemu.attack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tvs.client.TvsClientOptions;
import org.phoneemu.tvs.https.HttpsOptions;

/**
 * The attack suite's malicious TFTP servers against a phone that trusts a cluster: whatever the server does, the
 * boot ends (each file has a deadline, made short here), the flash keeps exactly what it held, and the phone says
 * what went wrong in its own words (docs/LIMITS.md).
 */
class HostileTftpServersTest {
    private static final String MAC = "001122334455";
    /** The per-file deadline, short for the test; the default is {@link TftpOptions#DEFAULT_DEADLINE}. */
    private static final Duration DEADLINE = Duration.ofMillis(1000);

    @TempDir
    static Path tmp;
    static MultiThreadIoEventLoopGroup group;
    static NettyPhoneNetwork network;
    static Cluster cluster;
    static VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group, TftpOptions.defaults().withTimeout(Duration.ofMillis(300)).withRetries(2).withDeadline(DEADLINE),
                TvsClientOptions.DEFAULTS, HttpsOptions.DEFAULTS);
        cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                .stateDirectory(tmp.resolve("cluster")).clock(clock).freshState(true).mirrorFiles(false).build();
        cluster.start().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    static Phone phone(Path flash, InetSocketAddress tftp) throws IOException {
        return Phone.builder().mac(MAC).tftpServer(tftp).flash(flash).clock(clock).network(network).micBits(1024).build();
    }

    /** The flash files that carry trust and config, by name, as hex (the status-message file may grow). */
    static Map<String, String> flash(Path dir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : List.of(TrustStore.CTL, TrustStore.ITL, TrustStore.CONFIG, TrustStore.MIC, TrustStore.LSC)) {
            Path p = dir.resolve(f);
            out.put(f, Files.exists(p) ? HexFormat.of().formatHex(Files.readAllBytes(p)) : "absent");
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(HostileTftpServer.Mode.class)
    void aHostileTftpServerEndsTheBootAndLeavesTheFlashAsItWas(HostileTftpServer.Mode mode) throws Exception {
        Path dir = tmp.resolve("phone-" + mode);
        String pub = cluster.nodes().get(0).id();
        BootReport first = phone(dir, cluster.nodes().get(0).tftpAddress()).boot().get(60, TimeUnit.SECONDS);
        assertThat(first.trusted()).as("first boot against the real cluster").isTrue();
        Map<String, String> before = flash(dir);

        try (HostileTftpServer hostile = new HostileTftpServer(mode, InetAddress.getByName("127.0.0.5"), name -> cluster.file(pub, name))) {
            Phone phone = phone(dir, hostile.address());
            BootReport r = phone.boot().get(60, TimeUnit.SECONDS);
            List<String> console = phone.consoleLog().lines().stream().map(ConsoleLine::text).toList();

            assertThat(flash(dir)).as("flash after a boot against a " + mode + " server").isEqualTo(before);
            assertThat(r.trustState()).isEqualTo(first.trustState());
            switch (mode) {
                case DUPLICATES -> assertThat(r.trusted()).as(String.join("\n", console)).isTrue();
                case SILENT -> assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).startsWith("no answer from the TFTP server(s)"));
                case TRICKLE -> {
                    assertThat(r.error()).hasValueSatisfying(e -> assertThat(e).contains("too slow").contains("1 s deadline"));
                    assertThat(console).anyMatch(l -> l.matches("TFTP: \\[\\d+\\]:Timed Out : \\S+ from 127\\.0\\.0\\.5 "
                            + "\\(not received within 1 s, \\d+ bytes so far\\)"));
                }
                case HOSTILE_ERROR -> assertThat(console).as("every file refused; the server's words stay out of the console")
                        .noneMatch(l -> l.contains("\u001b") || l.startsWith("FORGED"));
                case ENDLESS -> {
                    assertThat(r.trusted()).isFalse();
                    assertThat(console).anyMatch(l -> l.contains("File Too Large"));
                }
                default -> {
                    assertThat(r.trusted()).isFalse();
                    assertThat(console).anyMatch(l -> l.contains("Timed Out") || l.contains("Protocol Error"));
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void bootAgainstATricklingServerExits2WithOneLineAndKeepsTheFlash() throws Exception {
        Path dir = tmp.resolve("phone-cli-trickle");
        String pub = cluster.nodes().get(0).id();
        assertThat(phone(dir, cluster.nodes().get(0).tftpAddress()).boot().get(60, TimeUnit.SECONDS).trusted()).isTrue();
        Map<String, String> before = flash(dir);
        try (HostileTftpServer hostile = new HostileTftpServer(HostileTftpServer.Mode.TRICKLE, InetAddress.getByName("127.0.0.5"),
                name -> cluster.file(pub, name))) {
            org.phoneemu.cli.Cli.Result r = org.phoneemu.cli.Cli.run("boot", "--tftp", "127.0.0.5:" + hostile.address().getPort(),
                    "--mac", MAC, "--state", dir.toString(), "--tftp-deadline", "1");
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
            assertThat(r.err().lines().toList()).singleElement().satisfies(l -> assertThat(l).contains("too slow").contains("1 s deadline"));
            assertThat(r.out()).containsPattern("TFTP: \\[\\d+\\]:Timed Out : \\S+ from 127\\.0\\.0\\.5 \\(not received within 1 s");
            assertThat(r.out() + r.err()).doesNotContain("internal error", "Exception");
        }
        assertThat(flash(dir)).isEqualTo(before);
    }
}
