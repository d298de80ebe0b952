package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.ClusterService;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ProvisioningSpec;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.Provisioning;
import org.phoneemu.tftp.boot.Transport;

/** Phones against the simulated cluster's HTTP (6970) and HTTPS (6971) provisioning (docs/PROTOCOLS.md §4). */
class CucmHttpProvisioningTest {
    private static final String MAC = "001122334455";
    private static MultiThreadIoEventLoopGroup group;
    private static NettyPhoneNetwork network;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
    }

    @AfterAll
    static void stop() {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private Cluster cluster(ProvisioningSpec provisioning) throws Exception {
        ClusterSpec spec = ClusterSpec.load(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                .withProvisioning(provisioning);
        Cluster c = Cluster.builder().spec(spec).stateDirectory(tmp.resolve("state")).freshState(true).build();
        c.start().get(30, TimeUnit.SECONDS);
        return c;
    }

    private Phone phone(Cluster cluster, String model) throws Exception {
        Node pub = cluster.publisher();
        int http = cluster.provisioningAddress(pub.id(), false).map(InetSocketAddress::getPort).orElse(1);
        int https = cluster.provisioningAddress(pub.id(), true).map(InetSocketAddress::getPort).orElse(1);
        return Phone.builder().mac(MAC).model(model).tftpServer(pub.tftpAddress()).flash(tmp.resolve("flash-" + model))
                .network(network).micBits(1024).provisioning(Provisioning.byModel(model).withPorts(http, https)).build();
    }

    private static String console(Phone phone) {
        return String.join("\n", phone.consoleLog().lines().stream().map(ConsoleLine::text).toList());
    }

    @Test
    void an8845TakesItsConfigOverHttpsAndARegeneratedProvisioningCertificateReachesItThroughTheItl() throws Exception {
        try (Cluster cluster = cluster(new ProvisioningSpec(true, true, ProvisioningSpec.UNSET, ProvisioningSpec.UNSET))) {
            Phone phone = phone(cluster, "8845");

            BootReport first = phone.boot().get(60, TimeUnit.SECONDS);

            assertThat(first.trusted()).as(console(phone)).isTrue();
            assertThat(first.transportOf("SEP" + MAC + ".cnf.xml.sgn")).contains(Transport.HTTPS);
            assertThat(first.transportOf("ITLSEP" + MAC + ".tlv")).contains(Transport.HTTP);
            assertThat(console(phone)).contains("HTTPS cert found in ITL");
            String traced = Files.readString(cluster.traceFile(cluster.publisher().id(), ClusterService.TFTP));
            assertThat(traced).contains("HTTPS ", "GET /SEP" + MAC + ".cnf.xml.sgn -> 200", "HTTP ", "GET /ITLSEP" + MAC + ".tlv -> 200");

            // The phone's web page says what each file came over.
            org.phoneemu.web.FleetView view = org.phoneemu.web.FleetView.of("http", () -> java.util.List.of(phone),
                    java.util.Optional::empty, new org.phoneemu.web.BootStats());
            try (org.phoneemu.web.WebServer web = org.phoneemu.web.WebServer.builder().options(org.phoneemu.web.WebOptions.loopback(0))
                    .fleet(view).group(group).start()) {
                var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(web.url() + "phones/SEP" + MAC + "/")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(page.body()).contains("Files Received Over", "SEP" + MAC + ".cnf.xml.sgn: HTTPS", "ITLSEP" + MAC + ".tlv: HTTP");
            }

            AdminShell.Result regen = new AdminShell(cluster, cluster.publisher().id()).run("set cert regen tomcat-ECDSA");
            assertThat(regen.refused()).as(regen.reason()).isFalse();
            BootReport second = phone.boot().get(60, TimeUnit.SECONDS);

            // The new ITL (signed by the same CallManager key) lists the new EC certificate: the phone installs it and
            // trusts port 6971's new certificate by it.
            assertThat(second.itlMd5()).isNotEqualTo(first.itlMd5());
            assertThat(second.trusted()).as(console(phone)).isTrue();
            assertThat(second.transportOf("SEP" + MAC + ".cnf.xml.sgn")).contains(Transport.HTTPS);
        }
    }

    @Test
    void bootPcapHasHttpInClearAndHttpsAsTlsDecryptedInTheSecondFile() throws Exception {
        Path tshark = org.phoneemu.core.testing.RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        try (Cluster cluster = cluster(new ProvisioningSpec(true, true, ProvisioningSpec.UNSET, ProvisioningSpec.UNSET))) {
            Node pub = cluster.publisher();
            int http = cluster.provisioningAddress(pub.id(), false).orElseThrow().getPort();
            int https = cluster.provisioningAddress(pub.id(), true).orElseThrow().getPort();
            Path pcap = tmp.resolve("boot.pcap");
            org.phoneemu.cli.Cli.Result boot = org.phoneemu.cli.Cli.run("boot", "--tftp", pub.address().getHostAddress() + ":" + pub.tftpPort(),
                    "--mac", MAC, "--model", "8845", "--http-port", String.valueOf(http), "--https-port", String.valueOf(https),
                    "--state", tmp.resolve("phone").toString(), "--pcap", pcap.toString(), "--pcap-decrypted");
            assertThat(boot.code()).as(boot.out() + boot.err()).isZero();
            assertThat(boot.out()).contains("SEP" + MAC + ".cnf.xml.sgn over HTTPS");
            String asHttp = "tcp.port==" + http + ",http";
            assertThat(PacketCaptureTest.tshark(tshark, pcap, "-d", asHttp, "-Y", "tcp.port == " + http + " && http.request",
                    "-T", "fields", "-e", "http.request.uri")).contains("/ITLSEP" + MAC + ".tlv");
            assertThat(PacketCaptureTest.tshark(tshark, pcap, "-Y", "tcp.port == " + https + " && tls.handshake.type == 1",
                    "-T", "fields", "-e", "frame.number")).isNotEmpty();
            assertThat(PacketCaptureTest.tshark(tshark, tmp.resolve("boot-decrypted.pcap"), "-d", "tcp.port==" + https + ",http",
                    "-Y", "tcp.port == " + https + " && http.request", "-T", "fields", "-e", "http.request.uri"))
                    .contains("/SEP" + MAC + ".cnf.xml.sgn");
        }
    }

    @Test
    void aTftpOnlyModelAndAClusterWithoutHttpUseTftp() throws Exception {
        try (Cluster cluster = cluster(new ProvisioningSpec(false, false, ProvisioningSpec.UNSET, ProvisioningSpec.UNSET))) {
            assertThat(cluster.provisioningAddress(cluster.publisher().id(), false)).isEmpty();
            Phone modern = phone(cluster, "8845");
            BootReport boot = modern.boot().get(60, TimeUnit.SECONDS);
            assertThat(boot.trusted()).as(console(modern)).isTrue();
            assertThat(boot.files()).isNotEmpty().allSatisfy(f -> assertThat(f.transport()).isEqualTo(Transport.TFTP));
            assertThat(console(modern)).contains("falling back to TFTP");

            Phone old = phone(cluster, "7970");
            BootReport oldBoot = old.boot().get(60, TimeUnit.SECONDS);
            assertThat(oldBoot.trusted()).isTrue();
            assertThat(console(old)).doesNotContain("HTTP: [");
        }
    }
}
