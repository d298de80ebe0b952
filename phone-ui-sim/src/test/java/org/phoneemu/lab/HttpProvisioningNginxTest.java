package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.NginxPeer;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.RequiredPeer;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.pki.CertificateIssuer;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.ConfigStep;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.Provisioning;
import org.phoneemu.tftp.boot.Transport;
import org.phoneemu.tftp.testing.TftpdHpa;

/**
 * An 8845 (a model that provisions over HTTP, docs/PROTOCOLS.md §4) against stock nginx serving what
 * {@code ./phone-emu cucm files} exported, on an HTTP port and an HTTPS port with an EC certificate, and tftpd-hpa
 * serving the same files for the fallback. The ITL is rebuilt by the test with the EC certificate as a TFTP record
 * (signer version 1.1), signed with the exported cluster's CallManager key.
 */
class HttpProvisioningNginxTest {
    private static final String MAC = "001122334455";
    private static final String CONFIG = "SEP" + MAC + ".cnf.xml.sgn";
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

    /** The exported files of the one-node cluster, and its CallManager key. */
    private record Exported(Path files, KeyMaterial callManager) {
    }

    private Exported export() throws Exception {
        Path repo = org.phoneemu.core.testing.Vectors.root().getParent();
        Path out = tmp.resolve("files");
        org.phoneemu.cli.Cli.Result files = LabAndBootCommandsTest.run("cucm", "files", "--cluster",
                repo.resolve("config/scenarios/clusters/one-node.yaml").toString(), "--state", tmp.resolve("state").toString(),
                "--out", out.toString());
        assertThat(files.code()).as(files.err()).isZero();
        KeyMaterial cm = PemFile.readWithKey(tmp.resolve("state").resolve("nodes").resolve("cucmpub").resolve("CallManager.pem"));
        return new Exported(out.resolve("cucmpub"), cm);
    }

    /** An EC P-256 key with a certificate issued by {@code issuer}, as the HTTPS provisioning certificate. */
    private static KeyMaterial ecCertificate(KeyMaterial issuer, String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        CertificateIssuer ca = new CertificateIssuer(Map.of("O", "phone-emu test"), 16, Clock.systemUTC(), new SecureRandom());
        return new KeyMaterial(pair.getPrivate(), ca.certify(issuer, cn, pair.getPublic(), CertificateIssuer.Profile.NODE));
    }

    /** Replaces the served ITLs with one listing the CallManager (SAST, CCM+TFTP) and, when given, {@code tftp} (TFTP). */
    private static void writeItl(Path files, KeyMaterial callManager, KeyMaterial tftp) throws Exception {
        TrustListBuilder b = new TrustListBuilder(TrustListKind.ITL)
                .addCertificate(Role.SAST, callManager.certificate())
                .addCertificate(Role.CCM_TFTP, callManager.certificate());
        if (tftp != null) {
            b.addCertificate(Role.TFTP, tftp.certificate());
        }
        byte[] itl = b.build(callManager);
        try (Stream<Path> served = Files.list(files)) {
            for (Path p : served.filter(p -> p.getFileName().toString().startsWith("ITL")).toList()) {
                TftpdHpa.writeServed(files, p.getFileName().toString(), itl);
            }
        }
    }

    /**
     * Debian's nginx (the CLI's {@link NginxPeer}) serving {@code root} on 6970's role and on 6971's with {@code tls};
     * skips, or fails with CI=true ({@link RequiredPeer}), when nginx is not installed.
     */
    private NginxPeer nginx(Path root, KeyMaterial tls) throws Exception {
        Path bin = RequiredPeer.requireProgram("nginx (nginx-light)", "nginx", "/usr/sbin/nginx");
        Path dir = tmp.resolve("nginx");
        Optional<NginxPeer> started = NginxPeer.start(bin, root, dir, Optional.of(tls), true);
        if (started.isEmpty()) {
            throw new IllegalStateException("nginx did not listen: "
                    + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "no error.log"));
        }
        return started.get();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Phone phone(TftpdHpa tftp, int httpPort, int httpsPort) throws Exception {
        return Phone.builder().mac(MAC).model("8845").tftpServer(tftp.address()).flash(tmp.resolve("flash")).network(network)
                .micBits(1024).provisioning(Provisioning.byModel("8845").withPorts(httpPort, httpsPort)).build();
    }

    private static String console(Phone phone) {
        return String.join("\n", phone.consoleLog().lines().stream().map(ConsoleLine::text).toList());
    }

    @Test
    void bootsWithTheConfigOverHttpsAndTheTrustListsOverHttp() throws Exception {
        Exported e = export();
        KeyMaterial provisioning = ecCertificate(e.callManager(), "cucmpub-EC.example.com");
        writeItl(e.files(), e.callManager(), provisioning);
        try (TftpdHpa tftp = TftpdHpa.startOrSkip(e.files());
             NginxPeer nginx = nginx(e.files(), provisioning)) {
            Phone phone = phone(tftp, nginx.port(), nginx.httpsPort());

            BootReport boot = phone.boot().get(60, TimeUnit.SECONDS);

            assertThat(boot.trusted()).as(console(phone)).isTrue();
            assertThat(boot.transportOf("ITLSEP" + MAC + ".tlv").or(() -> boot.transportOf("ITLFile.tlv"))).contains(Transport.HTTP);
            assertThat(boot.transportOf(CONFIG)).as(console(phone)).contains(Transport.HTTPS);
            assertThat(boot.config()).hasValueSatisfying(c -> assertThat(((ConfigStep.Applied) c).source())
                    .contains("unsigned over HTTPS 6971"));
            assertThat(console(phone)).contains("HTTPS cert found in ITL", "HTTPS: [", "HTTP: [");
            assertThat(console(phone)).doesNotContain("TFTP: [");
            assertThat(nginx.accessLog()).contains("GET /" + CONFIG + " ", "GET /ITL");
        }
    }

    @Test
    void fallsBackToTftpWhenHttpIsDown() throws Exception {
        Exported e = export();
        KeyMaterial provisioning = ecCertificate(e.callManager(), "cucmpub-EC.example.com");
        writeItl(e.files(), e.callManager(), provisioning);
        try (TftpdHpa tftp = TftpdHpa.startOrSkip(e.files())) {
            // Ports nobody listens on: the connection is refused at once.
            Phone phone = phone(tftp, freePort(), freePort());

            BootReport boot = phone.boot().get(60, TimeUnit.SECONDS);

            assertThat(boot.trusted()).as(console(phone)).isTrue();
            assertThat(boot.files()).isNotEmpty().allSatisfy(f -> assertThat(f.transport()).isEqualTo(Transport.TFTP));
            assertThat(console(phone)).contains("falling back to TFTP", "TFTP: [");
        }
    }

    @Test
    void aProvisioningCertificateNotInTheItlGoesToTvsAndIsRefusedThenTheSignedConfigComesOverHttp() throws Exception {
        Exported e = export();
        KeyMaterial listed = ecCertificate(e.callManager(), "cucmpub-EC.example.com");
        KeyMaterial served = ecCertificate(e.callManager(), "impostor.example.com");
        writeItl(e.files(), e.callManager(), listed);
        try (TftpdHpa tftp = TftpdHpa.startOrSkip(e.files());
             NginxPeer nginx = nginx(e.files(), served)) {
            Phone phone = phone(tftp, nginx.port(), nginx.httpsPort());

            BootReport boot = phone.boot().get(60, TimeUnit.SECONDS);

            String log = console(phone);
            assertThat(log).contains("HTTPS cert not in CTL", "No matching entry found at cache",
                    "no TVS server in the configuration", "Server certificate not trusted", "falling back to HTTP");
            // Nothing was asked over 6971 (the certificate was refused before the request); the signed config came over 6970.
            assertThat(nginx.accessLog()).doesNotContain("GET /" + CONFIG + " HTTP/1.1\" 200 " + Files.size(e.files().resolve("SEP" + MAC + ".cnf.xml")));
            assertThat(boot.transportOf(CONFIG)).contains(Transport.HTTP);
            assertThat(boot.trusted()).as(log).isTrue();
            assertThat(boot.config()).hasValueSatisfying(c -> assertThat(((ConfigStep.Applied) c).source()).contains("signed by"));
        }
    }

    @Test
    void anUnsignedFileServedWhereASignedOneIsRequiredIsRefusedOverHttp() throws Exception {
        Exported e = export();
        writeItl(e.files(), e.callManager(), null); // no EC record: signer version 1.0 style, so no HTTPS step
        TftpdHpa.writeServed(e.files(), CONFIG, Files.readAllBytes(e.files().resolve("SEP" + MAC + ".cnf.xml")));
        KeyMaterial anyTls = ecCertificate(e.callManager(), "cucmpub-EC.example.com");
        try (TftpdHpa tftp = TftpdHpa.startOrSkip(e.files());
             NginxPeer nginx = nginx(e.files(), anyTls)) {
            Phone phone = phone(tftp, nginx.port(), nginx.httpsPort());

            BootReport boot = phone.boot().get(60, TimeUnit.SECONDS);

            assertThat(boot.transportOf(CONFIG)).contains(Transport.HTTP);
            assertThat(boot.config()).containsInstanceOf(ConfigStep.Rejected.class);
            assertThat(boot.trusted()).isFalse();
            assertThat(phone.statusMessages().last().orElseThrow().text()).startsWith("File Auth Fail");
            assertThat(console(phone)).doesNotContain("HTTPS: [");
        }
    }
}
