package org.phoneemu.cli;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.device.Mac;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.lab.ClusterSet;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;

/**
 * {@code ./phone-emu lab --story migration}: phones trusted on cluster A are moved to cluster B (docs/TRUST-RULES.md
 * §11). Unprepared they lock (S19); back on A they are trusted again; after Bulk Certificate Management (S21) A's TVS
 * vouches for B's signer and the moved phones trust B.
 */
final class MigrationStory {
    private static final List<String> KEY_LINES = List.of("installed:", "EROR", "asking TVS", "vouched");

    private final StoryTranscript transcript;

    MigrationStory(PrintWriter out, boolean verbose) {
        this.transcript = new StoryTranscript(out, verbose, KEY_LINES);
    }

    /** @return the exit code: 0 the story ended as expected, 1 it did not */
    int walk(ClusterSpec specA, Path fileA, Path fileB, Path work, int phones) throws Exception {
        ClusterSpec specB = clusterB(fileB);
        ClusterSpec a = LabCommand.withDevices(specA, phones);
        List<String> macs = a.devices().stream().map(d -> d.mac()).toList().subList(0, phones);
        VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        boolean ok;
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            say("phone-emu lab --story migration: cluster A " + fileA + ", cluster B " + fileB + ", " + phones + " phone(s), work directory " + work);
            say("Generating both clusters' keys and certificates...");
            Cluster clusterA = Cluster.builder().spec(a).stateDirectory(work.resolve("cluster")).clock(clock)
                    .freshState(true).eventLoopGroup(group).build();
            Cluster clusterB = Cluster.builder().spec(specB).stateDirectory(work.resolve("cluster-B")).clock(clock)
                    .freshState(true).eventLoopGroup(group).build();
            Lab started;
            try {
                started = Lab.start(clusterA, macs, work.resolve("phones"), clock, network, 1024);
            } catch (RuntimeException e) {
                clusterA.close();
                clusterB.close();
                throw UserInput.clusterStartFailure(e);
            }
            Files.createDirectories(work.resolve("sftp"));
            try (Lab lab = started; ClusterSet clusters = startB(lab, clusterB, work)) {
                nodes(clusters);
                ok = chapters(lab, clusters, clusterB.publisher().fqdn());
                summary(lab, clusters);
                say(ok ? "The story ended as expected." : "The story did NOT end as expected.");
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        return ok ? 0 : PhoneEmu.REFUSED;
    }

    private static ClusterSpec clusterB(Path fileB) {
        ClusterSpec specB;
        try {
            specB = ClusterSpec.load(fileB);
        } catch (ClusterSpecException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        UserInput.clusterAddresses(specB, fileB);
        return specB;
    }

    private void nodes(ClusterSet clusters) {
        for (String name : clusters.names()) {
            for (Node n : clusters.cluster(name).nodes()) {
                say("  " + name + " " + n.hostname() + (n.publisher() ? " (publisher)" : " (subscriber)") + ": TFTP "
                        + Addresses.service(n.tftp(), n.tftpAddress()) + ", TVS " + Addresses.service(n.tvs(), n.tvsAddress()));
            }
        }
    }

    /** The story's chapters, each ending in an expectation; true when every one held. */
    private boolean chapters(Lab lab, ClusterSet clusters, String bPublisher) throws Exception {
        boolean ok = true;
        chapter("S1: phones boot and trust cluster A on first use");
        ok &= expect(boot(lab, clusters), BootReport::trusted, "every phone trusted on A");

        chapter("S19: phones pointed at cluster B's TFTP (DHCP option 150), nothing prepared");
        move(lab, clusters, "B");
        ok &= expect(boot(lab, clusters), BootReport::locked,
                "every phone locked: B's ITL signer is unknown to A's lists and to A's TVS (\"Trust List Update Failed\")");

        chapter("Back to A: the phones still hold A's ITL");
        move(lab, clusters, "A");
        ok &= expect(boot(lab, clusters), BootReport::trusted, "every phone trusted on A again");

        chapter("S21: Bulk Certificate Management (export on B and A, consolidate and import on A), then the move");
        admin(clusters, "B", "utils bulkcert export");
        admin(clusters, "A", "utils bulkcert export");
        admin(clusters, "A", "utils bulkcert consolidate");
        admin(clusters, "A", "utils bulkcert import");
        move(lab, clusters, "B");
        ok &= expect(boot(lab, clusters), r -> r.trusted() && r.itlSigner().orElse("").contains(bPublisher),
                "every phone trusted on B: A's TVS vouched for B's ITL signer");
        return ok;
    }

    private static ClusterSet startB(Lab lab, Cluster b, Path work) {
        try {
            return ClusterSet.start(lab, "A", Map.of("B", b), work.resolve("sftp"));
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        } catch (RuntimeException e) {
            throw UserInput.clusterStartFailure(e);
        }
    }

    private void move(Lab lab, ClusterSet clusters, String to) throws Exception {
        for (Phone p : lab.phones()) {
            clusters.move(p, to).get(1, TimeUnit.MINUTES);
        }
        say("(option 150 of every phone: cluster " + to + "'s TFTP " + clusters.tftpServers(to) + "; the phones are reset)");
    }

    private void admin(ClusterSet clusters, String cluster, String command) {
        say("admin:" + command + "   [cluster " + cluster + "]");
        clusters.run(cluster, "", command).output().lines().forEach(l -> say("  " + l));
    }

    private List<BootReport> boot(Lab lab, ClusterSet clusters) throws Exception {
        List<BootReport> reports = lab.bootAll().get(30, TimeUnit.MINUTES);
        for (Phone p : lab.phones()) {
            BootReport r = p.lastBoot().orElseThrow();
            say("  " + new Mac(r.mac()).deviceName() + " on " + clusters.clusterOf(p) + ": " + r.verdict() + ", " + r.trustState().description()
                    + r.itlMd5().map(m -> ", ITL MD5 " + m).orElse("") + r.lastStatus().map(s -> ", \"" + s + "\"").orElse(""));
            transcript.newConsoleLines(p);
        }
        return reports;
    }

    private boolean expect(List<BootReport> reports, Predicate<BootReport> check, String what) {
        return transcript.expect(reports, check, what);
    }

    private void summary(Lab lab, ClusterSet clusters) {
        say("");
        String fmt = "%-16s %-8s %-12s %-30s %s";
        say(String.format(fmt, "PHONE", "CLUSTER", "TRUST", "ITL SIGNER", "LAST STATUS MESSAGE"));
        for (Phone p : lab.phones()) {
            BootReport r = p.lastBoot().orElseThrow();
            say(String.format(fmt, p.name(), clusters.clusterOf(p), r.trustState().name(), StoryTranscript.signerColumn(r),
                    r.lastStatus().orElse("-")));
        }
    }

    private void chapter(String title) {
        transcript.chapter(title);
    }

    private void say(String line) {
        transcript.say(line);
    }
}
