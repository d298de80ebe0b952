package org.phoneemu.tac;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.testing.TestPki;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.tac.audit.AuditOptions;
import org.phoneemu.tac.audit.AuditReport;
import org.phoneemu.tac.audit.Auditor;
import org.phoneemu.tac.audit.Finding;
import org.phoneemu.tac.audit.Severity;
import org.phoneemu.tac.predict.ChangeStep;
import org.phoneemu.tac.predict.PhoneGroup;
import org.phoneemu.tac.predict.Prediction;
import org.phoneemu.tac.predict.PredictionReport;
import org.phoneemu.tac.predict.Predictor;
import org.phoneemu.tac.predict.RebootPolicy;
import org.phoneemu.tac.predict.Verdict;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.NodeFiles;
import org.phoneemu.tac.served.ServedCluster;
import org.phoneemu.tac.served.TftpReader;

/**
 * The 6971 certificate in {@code audit} and {@code predict} (docs/PROTOCOLS.md §4), decided by the phone's own rule
 * ({@code HttpsCertificateCheck.checkProvisioning}, then TVS): the project's cluster over loopback, its TFTP read as a
 * live cluster and its 6971 port (or another TLS server on that host) asked for its certificate.
 */
class ProvisioningCertificateTest {
    static final Path HTTPS_CLUSTER = Vectors.root().getParent().resolve("config/scenarios/clusters/https-provisioning.yaml");
    static final Instant NOW = Instant.parse("2026-01-01T09:00:00Z");
    static final List<Device> DEVICES = List.of(new Device("001122334455", "8845"), new Device("001122334466", "7970"));

    private static AuditReport audit(ServedCluster served) throws Exception {
        return Auditor.audit(served, Optional.empty(), new AuditOptions(NOW, Duration.ofDays(90)));
    }

    private static List<Finding> provisioning(AuditReport r) {
        return r.findings().stream().filter(f -> f.check().startsWith("provisioning")).toList();
    }

    @Test
    void auditOfTheRunningClusterReadsThe6971CertificateAndJudgesItAsThePhoneDoes(@TempDir Path tmp) throws Exception {
        ClusterSpec spec = ClusterSpec.load(HTTPS_CLUSTER);
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (Cluster cluster = Cluster.builder().spec(spec).stateDirectory(tmp.resolve("state")).freshState(true).build()) {
            cluster.start().get(30, TimeUnit.SECONDS);
            Node pub = cluster.publisher();
            InetSocketAddress tftp = new InetSocketAddress(pub.address(), pub.tftpPort());
            int https = cluster.provisioningAddress(pub.id(), true).orElseThrow().getPort();

            // Its own 6971 presents tomcat-ECDSA, a TFTP record of the ITL it serves: nothing to report.
            ServedCluster served = new TftpReader(Duration.ofSeconds(1), 3).withProvisioningPort(https).read(List.of(tftp), DEVICES);
            assertThat(served.firstNode().provisioningCertificate()).contains(pub.certificate(org.phoneemu.cucm.pki.CertificateUnit.TOMCAT_ECDSA));
            assertThat(provisioning(audit(served))).isEmpty();

            // Another TLS server on the same host (a replaced web server, a certificate the ITL was not rebuilt for).
            KeyMaterial foreign = TestPki.ec("CN=cucmpub-EC-replaced", "secp256r1", 16);
            SslContext tls = SslContextBuilder.forServer(foreign.privateKey(), foreign.certificate()).build();
            Channel other = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                    }).bind(new InetSocketAddress(pub.address(), 0)).sync().channel();
            try {
                int port = ((InetSocketAddress) other.localAddress()).getPort();
                ServedCluster live = new TftpReader(Duration.ofSeconds(1), 3).withProvisioningPort(port).read(List.of(tftp), DEVICES);
                assertThat(provisioning(audit(live))).singleElement().satisfies(f -> {
                    assertThat(f.check()).isEqualTo("provisioning-certificate");
                    assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                    // A live cluster's TVS is not asked: the finding says so, and names the models concerned.
                    assertThat(f.text()).contains("CN=cucmpub-EC-replaced", "does not ask a live cluster's TVS", "(8845)")
                            .doesNotContain("7970");
                });
            } finally {
                other.close().sync();
            }
            // Nothing on the port: no certificate, no finding.
            ServedCluster none = new TftpReader(Duration.ofSeconds(1), 3).withProvisioningPort(freePort(pub)).read(List.of(tftp), DEVICES);
            assertThat(none.firstNode().provisioningCertificate()).isEmpty();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static int freePort(Node pub) throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, pub.address())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aSimulatedClusterAlsoAsksWhatItsTvsKnows(@TempDir Path tmp) throws Exception {
        KeyMaterial foreign = TestPki.ec("CN=cucmpub-EC-replaced", "secp256r1", 16);
        try (ClusterCopy copy = ClusterCopy.open(HTTPS_CLUSTER, tmp.resolve("state"), new VirtualClock(NOW))) {
            ServedCluster served = copy.served(DEVICES);
            assertThat(provisioning(audit(served))).isEmpty();

            AuditReport refused = audit(withCertificate(served, copy, foreign));
            assertThat(provisioning(refused)).singleElement().satisfies(f -> {
                assertThat(f.check()).isEqualTo("provisioning-certificate");
                assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
                assertThat(f.text()).contains(Auditor.PROVISIONING_REFUSED, "(8845)", "fall back to HTTP 6970");
            });

            // Imported into tomcat-trust, TVS knows it: the phone's rule accepts it through TVS.
            Path sftp = Files.createDirectories(tmp.resolve("sftp"));
            Files.writeString(sftp.resolve("replaced.pem"), PemFiles.toPem(foreign.certificate()), StandardCharsets.US_ASCII);
            AdminShell shell = new AdminShell(copy.cluster(), copy.cluster().publisher().id());
            shell.workingDirectory(sftp);
            AdminShell.Result imported = shell.run("set cert import trust tomcat-trust replaced.pem");
            assertThat(imported.refused()).as(imported.reason()).isFalse();
            AuditReport viaTvs = audit(withCertificate(copy.served(DEVICES), copy, foreign));
            assertThat(provisioning(viaTvs)).singleElement().satisfies(f -> {
                assertThat(f.check()).isEqualTo("provisioning-tvs");
                assertThat(f.severity()).isEqualTo(Severity.LOW);
            });
        }
    }

    /** {@code served} with its node's 6971 presenting {@code key}'s certificate instead. */
    private static ServedCluster withCertificate(ServedCluster served, ClusterCopy copy, KeyMaterial key) {
        NodeFiles n = served.firstNode();
        return new ServedCluster(served.label(), List.of(new NodeFiles(n.node(), n.address(), n.files(), Optional.of(key.certificate()))),
                served.devices(), Optional.of(copy.cluster().tvsCertificateStore()));
    }

    @Test
    void predictSaysWhichPhonesRefuse6971WhenItsCertificateChangesWithCallManagerAndTvs(@TempDir Path tmp) throws Exception {
        List<ChangeStep> steps = List.of(
                new ChangeStep.Admin(Optional.empty(), Optional.empty(), "set cert regen CallManager"),
                new ChangeStep.Wait(Duration.ofSeconds(301)),
                new ChangeStep.Admin(Optional.empty(), Optional.empty(), "set cert regen TVS"),
                new ChangeStep.Wait(Duration.ofSeconds(301)),
                new ChangeStep.Admin(Optional.empty(), Optional.empty(), "set cert regen tomcat-ECDSA"),
                new ChangeStep.Reboot(Optional.empty()));
        Prediction p = Predictor.predict(new Predictor.Input(HTTPS_CLUSTER, tmp.resolve("state"), NOW, Optional.empty(), DEVICES, steps,
                RebootPolicy.EXPLICIT, false));

        // Before: the 8845 took its configuration over 6971, trusted by the ITL; nothing to say.
        assertThat(p.before().groups()).allSatisfy(g -> assertThat(g.provisioning()).isEmpty());
        List<PhoneGroup> after = p.steps().get(p.steps().size() - 1).groups();
        assertThat(after).allSatisfy(g -> assertThat(g.verdict()).isEqualTo(Verdict.LOCKED));
        assertThat(after).filteredOn(g -> g.phones().contains("SEP001122334455")).singleElement()
                .satisfies(g -> assertThat(g.provisioning()).startsWith("8845 (HTTPS provisioning): " + Auditor.PROVISIONING_REFUSED)
                        .contains("came over HTTP 6970 instead"));
        assertThat(after).filteredOn(g -> g.phones().contains("SEP001122334466")).singleElement()
                .satisfies(g -> assertThat(g.provisioning()).isEmpty());
        java.io.StringWriter text = new java.io.StringWriter();
        PredictionReport.print(p, new java.io.PrintWriter(text));
        assertThat(text.toString()).contains("      provisioning: 8845 (HTTPS provisioning): the 6971 provisioning certificate");
    }
}
