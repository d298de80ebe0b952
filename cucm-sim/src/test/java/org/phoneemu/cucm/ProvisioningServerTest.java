package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.cucm.net.ConnectionLimits;
import org.phoneemu.cucm.pki.CertificateIssuer;
import org.phoneemu.cucm.tftp.ProvisioningServer;

/** The TFTP service's HTTP (6970) and HTTPS (6971) side against curl: the same files, the .sgn rewrite over HTTPS. */
class ProvisioningServerTest {
    private static final String MAC = "001122334455";
    @TempDir
    static Path dir;
    static Cluster cluster;
    static MultiThreadIoEventLoopGroup group;
    static ProvisioningServer server;
    static int http;
    static int https;
    static final List<String> traced = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = TestClusters.build(TestClusters.twoNodes(), dir.resolve("state"), TestClusters.clock());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        CertificateIssuer ca = new CertificateIssuer(Map.of("O", "test"), 16, Clock.systemUTC(), new SecureRandom());
        KeyMaterial issuer = ca.selfSigned("issuer", 1024, CertificateIssuer.Profile.AUTHORITY);
        KeyMaterial ec = new KeyMaterial(pair.getPrivate(), ca.certify(issuer, "cucmpub.example.com", pair.getPublic(),
                CertificateIssuer.Profile.NODE));
        SslContext tls = SslContextBuilder.forServer(ec.privateKey(), ec.certificate()).build();
        server = new ProvisioningServer(group, () -> cluster.files("pub"), traced::add);
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        http = server.bindHttp(any, ProvisioningServer.httpLimits()).get(10, TimeUnit.SECONDS).getPort();
        https = server.bindHttps(any, () -> tls, ConnectionLimits.defaults()).get(10, TimeUnit.SECONDS).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().get(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        cluster.close();
    }

    private static ExternalTools.Result curl(String url, Path out) throws Exception {
        return ExternalTools.run(List.of("curl", "-s", "-k", "--max-time", "20", "-w", "%{http_code}", url, "-o", out.toString()),
                new byte[0], 30);
    }

    @Test
    void theClusterFileTurnsEachSideOnOrOffAndABadPortIsNamed() throws Exception {
        String base = TestClusters.oneNode();
        assertThat(org.phoneemu.cucm.config.ClusterSpec.parse(base, dir).provisioning())
                .isEqualTo(org.phoneemu.cucm.config.ProvisioningSpec.DEFAULTS);
        var on = org.phoneemu.cucm.config.ClusterSpec.parse(base.replace("  ports: {tftp: 0, tvs: 0, https: 0}\n",
                "  ports: {tftp: 0, tvs: 0, https: 0}\n  provisioning: {http: false, https: true, httpsPort: 0}\n"), dir).provisioning();
        assertThat(on.http()).isFalse();
        assertThat(on.https()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.phoneemu.cucm.config.ClusterSpec.parse(base.replace(
                        "  ports: {tftp: 0, tvs: 0, https: 0}\n", "  ports: {tftp: 0, tvs: 0, https: 0}\n  provisioning: {httpPort: 70000}\n"), dir))
                .hasMessageContaining("httpPort").hasMessageContaining("70000");
    }

    @Test
    void httpServesTheTftpFilesByteForByteAndSaysNotFound() throws Exception {
        ExternalTools.require("curl");
        Path out = dir.resolve("itl");
        ExternalTools.Result r = curl("http://127.0.0.1:" + http + "/ITLFile.tlv", out);
        assertThat(r.output()).isEqualTo("200");
        assertThat(out).hasBinaryContent(cluster.file("pub", "ITLFile.tlv").orElseThrow());
        Path sgn = dir.resolve("sgn");
        assertThat(curl("http://127.0.0.1:" + http + "/SEP" + MAC + ".cnf.xml.sgn", sgn).output()).isEqualTo("200");
        assertThat(sgn).hasBinaryContent(cluster.file("pub", "SEP" + MAC + ".cnf.xml.sgn").orElseThrow());
        assertThat(curl("http://127.0.0.1:" + http + "/SEPFFFFFFFFFFFF.cnf.xml", dir.resolve("none")).output()).isEqualTo("404");
        assertThat(traced).anySatisfy(l -> assertThat(l).startsWith("HTTP ").endsWith("GET /ITLFile.tlv -> 200 "
                + cluster.file("pub", "ITLFile.tlv").orElseThrow().length + " bytes"));
    }

    @Test
    void httpsAnswersASignedConfigRequestWithTheUnsignedFile() throws Exception {
        ExternalTools.require("curl");
        Path out = dir.resolve("https-config");
        ExternalTools.Result r = curl("https://127.0.0.1:" + https + "/SEP" + MAC + ".cnf.xml.sgn", out);
        assertThat(r.output()).isEqualTo("200");
        assertThat(out).hasBinaryContent(cluster.file("pub", "SEP" + MAC + ".cnf.xml").orElseThrow());
        assertThat(Files.readString(out)).startsWith("<");
        assertThat(traced).anySatisfy(l -> assertThat(l).startsWith("HTTPS ").contains("GET /SEP" + MAC + ".cnf.xml.sgn -> 200"));
    }

    @Test
    void theSignedConfigNameMatchesIgnoringCaseOverHttps() throws Exception {
        ExternalTools.require("curl");
        Path out = dir.resolve("https-config-lower");
        assertThat(curl("https://127.0.0.1:" + https + "/sep" + MAC.toLowerCase(java.util.Locale.ROOT) + ".CNF.xml.SGN", out).output())
                .isEqualTo("200");
        assertThat(out).hasBinaryContent(cluster.file("pub", "SEP" + MAC + ".cnf.xml").orElseThrow());
    }

    @Test
    void aRequestPathCannotForgeATraceLineAndPathsAreRefusedAsOverTftp() throws Exception {
        ExternalTools.require("curl");
        assertThat(curl("http://127.0.0.1:" + http + "/ITLFile.tlv%0d%0aHTTP%20forged", dir.resolve("forged")).output()).isEqualTo("404");
        assertThat(traced).noneMatch(l -> l.contains("\r") || l.contains("\n"))
                .anySatisfy(l -> assertThat(l).matches("HTTP 127\\.0\\.0\\.1:\\d+ GET /ITLFile\\.tlv\\\\x0d\\\\x0aHTTP forged -> 404"));
        // The TFTP service's rule for names: a backslash or ".." is no file name, whatever the directory holds.
        assertThat(curl("http://127.0.0.1:" + http + "/..%5cITLFile.tlv", dir.resolve("climb")).output()).isEqualTo("404");
    }
}
