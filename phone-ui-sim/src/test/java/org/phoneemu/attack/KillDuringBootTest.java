package org.phoneemu.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;

/**
 * {@code kill -9} of a {@code phone-emu boot} process at random moments, while the cluster's trust list and config
 * change between boots: after each kill every flash file is absent, the old version or the new one (a trust list the
 * cluster served, a config that parses), never torn, and the phone boots from that flash to a trusted state.
 */
class KillDuringBootTest {
    private static final String MAC = "001122334455";
    private static final int KILLS = 6;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyFlashFileIsOldOrNewAfterEachKill() throws Exception {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        Cluster cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                .stateDirectory(tmp.resolve("cluster")).clock(clock).freshState(true).mirrorFiles(false).build();
        try (cluster) {
            cluster.start().get(60, TimeUnit.SECONDS);
            Node node = cluster.nodes().get(0);
            AdminShell shell = new AdminShell(cluster, node.id());
            Path flash = tmp.resolve("phone");
            Set<String> servedLists = new HashSet<>();
            remember(cluster, node, servedLists);

            long started = System.nanoTime();
            Process first = boot(node, flash);
            assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(Files.readString(flash.resolveSibling("boot.log"))).isZero();
            long bootMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            long seed = System.nanoTime();
            Random random = new Random(seed);
            Set<String> flashItls = new HashSet<>();
            for (int i = 0; i < KILLS; i++) {
                if (i % 2 == 0) {
                    // A new CallManager certificate: a new ITL and a config signed by it, both written on the next boot.
                    clock.advance(java.time.Duration.ofMinutes(6)); // past the cluster's hold timer of the last regeneration
                    assertThat(shell.execute("set cert regen CallManager")).contains("Successfully Regenerated");
                    shell.execute("utils service restart Cisco Tftp");
                    remember(cluster, node, servedLists);
                }
                Process p = boot(node, flash);
                long delay = random.nextLong(bootMillis + 1);
                if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly(); // SIGKILL
                }
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                checkFlash(flash, servedLists, "kill " + i + " after " + delay + " ms (seed " + seed + ")");
                flashItls.add(md5(Files.readAllBytes(flash.resolve(TrustStore.ITL))));
            }

            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
                Phone phone = Phone.builder().mac(MAC).tftpServer(node.tftpAddress()).flash(flash).network(network).build();
                BootReport r = phone.boot().get(60, TimeUnit.SECONDS);
                List<String> console = phone.consoleLog().lines().stream().map(ConsoleLine::text).toList();
                assertThat(r.trusted()).as(String.join("\n", console)).isTrue();
                assertThat(console).noneMatch(l -> l.contains("is unusable"));
                // The cluster's lists did change meanwhile (three regenerations).
                assertThat(servedLists).hasSizeGreaterThanOrEqualTo(4);
                System.out.println("KillDuringBootTest: " + KILLS + " kills, seed " + seed + ", boot " + bootMillis
                        + " ms, distinct ITLs on flash after the kills: " + flashItls.size() + ", final " + r.itlMd5().orElse("-"));
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    private static void remember(Cluster cluster, Node node, Set<String> served) {
        for (String name : List.of(TrustStore.ITL, TrustStore.CTL, "ITLSEP" + MAC + ".tlv", "CTLSEP" + MAC + ".tlv")) {
            cluster.file(node.id(), name).ifPresent(b -> served.add(md5(b)));
        }
    }

    /** Starts {@code phone-emu boot} in a JVM of its own, its output in {@code boot.log} next to the flash. */
    private static Process boot(Node node, Path flash) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.phoneemu.cli.PhoneEmu",
                "boot", "--tftp", node.tftpAddress().getAddress().getHostAddress() + ":" + node.tftpAddress().getPort(),
                "--mac", MAC, "--state", flash.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(flash.resolveSibling("boot.log").toFile());
        return pb.start();
    }

    private static void checkFlash(Path flash, Set<String> servedLists, String when) throws IOException {
        for (String name : List.of(TrustStore.ITL, TrustStore.CTL)) {
            Path f = flash.resolve(name);
            if (Files.exists(f)) {
                byte[] bytes = Files.readAllBytes(f);
                assertThat(servedLists).as(name + " is a list the cluster served, " + when).contains(md5(bytes));
                assertThat(catchParse(() -> TrustList.parse(bytes))).as(name + " parses, " + when).isNull();
            }
        }
        Path config = flash.resolve(TrustStore.CONFIG);
        if (Files.exists(config)) {
            byte[] xml = Files.readAllBytes(config);
            assertThat(catchParse(() -> PhoneConfigParser.parse(xml))).as("config parses, " + when).isNull();
        }
        assertThat(flash.resolve(TrustStore.ITL)).as("the ITL of the first boot is never lost, " + when).exists();
    }

    private interface Parse {
        void run() throws Exception;
    }

    private static Throwable catchParse(Parse p) {
        try {
            p.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
