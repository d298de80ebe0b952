package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.sip.TransportDecision;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.RegistrationStep;

/** Phones boot against the simulated cluster and register at the end of the boot: TLS with the LSC, TCP, refusals, re-registration. */
class PhoneRegistrationTest {
    static final String SECURE = "001122334455";
    static final String PLAIN = "0011223344BB";
    static final String MIC_ONLY = "0011223344CC";
    static final String YAML = """
            cluster:
              name: regtest
              domain: lab.example
              keySizes: {default: 1024}
              mixedMode: true
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.1}
              - {hostname: sub, address: 127.0.0.2}
            groups:
              - {name: G1, members: [pub, sub]}
            devices:
              - {mac: "%s", model: 7970, group: G1, lsc: true, securityMode: 3}
              - {mac: "%s", model: 7975, group: G1}
              - {mac: "%s", model: 8851, group: G1, securityMode: 2}
            """.formatted(SECURE, PLAIN, MIC_ONLY);

    @TempDir
    static Path state;
    static EventLoopGroup group;
    static Cluster cluster;
    static VirtualClock clock;
    static NettyPhoneNetwork network;
    /** Every phone its own flash: an LSC one test installs must not follow the MAC into another test. */
    static final java.util.concurrent.atomic.AtomicInteger FLASHES = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        clock = new VirtualClock(Instant.now());
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(state.resolve("cluster")).clock(clock)
                .freshState(true).mirrorFiles(false).eventLoopGroup(group).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        network = new NettyPhoneNetwork(group).callManagerNames(PhoneRegistrationTest::node);
    }

    @AfterAll
    static void stop() {
        if (network != null) {
            network.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** The lab's name table: the configuration names CallManagers by FQDN, which has no DNS here. */
    static Optional<Inet4Address> node(String fqdn) {
        return cluster.nodes().stream().filter(n -> n.fqdn().equalsIgnoreCase(fqdn)).map(n -> (Inet4Address) n.address()).findFirst();
    }

    static Phone phone(String mac, String model, Optional<KeyMaterial> lsc, boolean registers) throws Exception {
        var b = Phone.builder().mac(mac).model(model).tftpServer(cluster.publisher().tftpAddress()).flash(state.resolve(mac + "-" + FLASHES.incrementAndGet()))
                .clock(clock).network(network).micBits(1024).registers(registers);
        lsc.ifPresent(b::lsc);
        return b.build();
    }

    static Instant expiresAtPub(String mac) {
        return cluster.sipRegistrations("pub").stream().filter(x -> x.deviceName().equals("SEP" + mac)).findFirst().orElseThrow().expires();
    }

    @Test
    void aSecurePhoneWithItsLscRegistersOverTlsAtTheEndOfItsBoot() throws Exception {
        Phone phone = phone(SECURE, "7970", cluster.deviceLsc(SECURE), true);
        BootReport r = phone.boot().get(60, TimeUnit.SECONDS);

        assertThat(r.trusted()).as("%s", r).isTrue();
        assertThat(r.registered()).as("%s", r.registration()).isTrue();
        RegistrationStep.Attempted step = (RegistrationStep.Attempted) r.registration().orElseThrow();
        assertThat(step.transport()).isInstanceOf(TransportDecision.Tls.class);
        assertThat(step.outcome()).isInstanceOfSatisfying(RegistrationOutcome.Registered.class, reg -> {
            assertThat(reg.target().node()).isEqualTo("pub.lab.example");
            assertThat(reg.target().transport()).isEqualTo(SipTransport.TLS);
            assertThat(reg.cipherSuite()).isPresent();
        });
        assertThat(cluster.sipRegistrations("pub")).anySatisfy(reg -> {
            assertThat(reg.deviceName()).isEqualTo("SEP" + SECURE);
            assertThat(reg.transport()).isEqualTo(SipTransport.TLS);
        });
        assertThat(phone.consoleLog().contains("SIP: registered to pub.lab.example over TLS, expires 120 s")).isTrue();
        assertThat(phone.registration()).isEqualTo(r.registration());
    }

    @Test
    void aNonSecurePhoneRegistersOverTcpAndAMicOnlySecurePhoneOverTlsWithItsMic() throws Exception {
        BootReport plain = phone(PLAIN, "7975", Optional.empty(), true).boot().get(60, TimeUnit.SECONDS);
        assertThat(plain.registration()).hasValueSatisfying(s -> {
            assertThat(s.registered()).as(s.text()).isTrue();
            assertThat(((RegistrationStep.Attempted) s).transport()).isInstanceOf(TransportDecision.Tcp.class);
        });
        BootReport mic = phone(MIC_ONLY, "8851", Optional.empty(), true).boot().get(60, TimeUnit.SECONDS);
        assertThat(mic.registration()).hasValueSatisfying(s -> {
            assertThat(s.registered()).as(s.text()).isTrue();
            assertThat(((RegistrationStep.Attempted) s).transport()).isInstanceOf(TransportDecision.Tls.class);
            // Authenticated: integrity only (docs/SIP.md §5)
            assertThat(s.text()).endsWith("(TLS_RSA_WITH_NULL_SHA)");
        });
    }

    @Test
    void aPhoneWithAnotherDevicesLscIsRefusedAndSaysSo() throws Exception {
        Phone phone = phone(MIC_ONLY, "8851", cluster.deviceLsc(SECURE), true);
        BootReport r = phone.boot().get(60, TimeUnit.SECONDS);
        assertThat(r.registered()).isFalse();
        assertThat(r.registration().flatMap(RegistrationStep::attempted)).hasValueSatisfying(o ->
                assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, ref -> {
                    assertThat(ref.status()).isEqualTo(403);
                    assertThat(ref.reason()).contains("TLS authentication failure");
                }));
        assertThat(r.registration().orElseThrow().text()).startsWith("registration refused by pub.lab.example: 403");
        assertThat(phone.statusMessages().contains("Registration Rejected")).isTrue();
        assertThat(phone.reRegisterAt()).isEmpty();

        // The dashboard tags the phone "not registered" (the line as a tooltip); its page has the registration line.
        Phone registered = phone(PLAIN, "7975", Optional.empty(), true);
        registered.boot().get(60, TimeUnit.SECONDS);
        org.phoneemu.web.FleetView view = org.phoneemu.web.FleetView.of("sip", () -> java.util.List.of(phone, registered),
                Optional::empty, new org.phoneemu.web.BootStats());
        try (org.phoneemu.web.WebServer web = org.phoneemu.web.WebServer.builder().options(org.phoneemu.web.WebOptions.loopback(0))
                .fleet(view).group(group).start()) {
            String dashboard = get(web.url() + "");
            assertThat(dashboard).contains("<span class=\"tag sip\" title=\"registration refused by pub.lab.example: 403 Forbidden")
                    .contains(">not registered</span>").contains(">registered</span>");
            assertThat(get(web.url() + "phones/" + phone.name() + "/")).contains("Registration")
                    .contains("registration refused by pub.lab.example: 403 Forbidden");
        }
    }

    static String get(String url) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void withoutRegistrationTheBootEndsAfterTheConfig() throws Exception {
        BootReport r = phone(PLAIN, "7975", Optional.empty(), false).boot().get(60, TimeUnit.SECONDS);
        assertThat(r.trusted()).isTrue();
        assertThat(r.registration()).isEmpty();
        assertThat(r.registered()).isFalse();
    }

    @Test
    void theRegistrationIsRenewedWhenThePhonesClockReachesTheGrantedIntervalLessTheRegisterDelta() throws Exception {
        Phone phone = phone(SECURE, "7970", cluster.deviceLsc(SECURE), true);
        BootReport r = phone.boot().get(60, TimeUnit.SECONDS);
        assertThat(r.registered()).isTrue();
        Instant due = phone.reRegisterAt().orElseThrow();
        assertThat(Duration.between(clock.instant(), due)).isEqualTo(Duration.ofSeconds(115)); // 120 s granted, 5 s early
        Instant expiresBefore = expiresAtPub(SECURE);

        assertThat(phone.keepRegistered().get(30, TimeUnit.SECONDS)).as("not due yet").isEmpty();
        clock.advance(Duration.ofSeconds(115));
        Optional<RegistrationStep> again = phone.keepRegistered().get(30, TimeUnit.SECONDS);

        assertThat(again).hasValueSatisfying(s -> assertThat(s.registered()).isTrue());
        assertThat(expiresAtPub(SECURE)).as("the registrar's expiry, renewed").isEqualTo(expiresBefore.plusSeconds(115));
        assertThat(phone.reRegisterAt()).hasValueSatisfying(t -> assertThat(t).isAfter(due));
    }

    @Test
    void bootRegistersByDefaultAndStopsAfterTheConfigWithNoRegister() throws Exception {
        String tftp = "127.0.0.1:" + cluster.publisher().tftpPort();
        org.phoneemu.cli.Cli.Result r = org.phoneemu.cli.Cli.run("boot", "--tftp", tftp, "--mac", SECURE, "--state",
                state.resolve("cli-" + FLASHES.incrementAndGet()).toString(), "--resolve", "pub.lab.example=127.0.0.1",
                "--resolve", "sub.lab.example=127.0.0.2");
        // The phone has its MIC only, and the cluster issued this device an LSC: CUCM takes the MIC (docs/SIP.md §7).
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("SIP transport: TLS (Encrypted; CallManager checked against the CTL)")
                .contains("Registration: registered to pub.lab.example over TLS, expires 120 s (TLS_");

        org.phoneemu.cli.Cli.Result off = org.phoneemu.cli.Cli.run("boot", "--tftp", tftp, "--mac", PLAIN, "--model", "7975", "--state",
                state.resolve("cli-" + FLASHES.incrementAndGet()).toString(), "--no-register");
        assertThat(off.code()).as(off.out() + off.err()).isZero();
        assertThat(off.out()).contains("Registration: not attempted (--no-register)").doesNotContain("SIP:");

        org.phoneemu.cli.Cli.Result bad = org.phoneemu.cli.Cli.run("boot", "--tftp", tftp, "--mac", PLAIN, "--resolve", "pub.lab.example");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--resolve takes NAME=IPv4-ADDRESS");
    }

    @Test
    void aRenewalNoCallManagerGrantsIsRetriedAndARenewalInFlightIsNotStartedTwice() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean groupDown = new java.util.concurrent.atomic.AtomicBoolean();
        try (NettyPhoneNetwork own = new NettyPhoneNetwork(group)) {
            // The whole group "down": every name leads to a loopback address where nothing listens.
            own.callManagerNames(name -> groupDown.get() ? Optional.of(org.phoneemu.tls.client.Ipv4.literal("127.0.0.9")) : node(name));
            Phone phone = Phone.builder().mac(PLAIN).model("7975").tftpServer(cluster.publisher().tftpAddress())
                    .flash(state.resolve(PLAIN + "-" + FLASHES.incrementAndGet())).clock(clock).network(own).micBits(1024)
                    .registers(true).build();
            assertThat(phone.boot().get(60, TimeUnit.SECONDS).registered()).isTrue();

            // Two timers firing at once when the renewal is due: one REGISTER, not two side by side.
            clock.advance(Duration.ofSeconds(115));
            var first = phone.keepRegistered();
            var second = phone.keepRegistered();
            assertThat(java.util.stream.Stream.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS))
                    .filter(Optional::isPresent)).hasSize(1);

            groupDown.set(true);
            clock.advance(Duration.ofSeconds(115));
            RegistrationStep failed = phone.keepRegistered().get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(failed.attempted()).hasValueSatisfying(o -> assertThat(o).isInstanceOf(RegistrationOutcome.Unreachable.class));
            assertThat(phone.reRegisterAt()).as("a retry is scheduled")
                    .contains(clock.instant().plus(org.phoneemu.core.sip.RegistrationPolicy.RETRY_AFTER_FAILED_RENEWAL));

            groupDown.set(false);
            clock.advance(org.phoneemu.core.sip.RegistrationPolicy.RETRY_AFTER_FAILED_RENEWAL);
            RegistrationStep back = phone.keepRegistered().get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(back.attempted()).hasValueSatisfying(o -> assertThat(o).isInstanceOf(RegistrationOutcome.Registered.class));
        }
    }

    @Test
    void whenThePrimaryStopsAnsweringTheNextRegistrationFailsOverToTheSubscriber() throws Exception {
        // The primary "stops answering": its name now leads to a loopback address where nothing listens (connection refused).
        java.util.concurrent.atomic.AtomicBoolean primaryDown = new java.util.concurrent.atomic.AtomicBoolean();
        try (NettyPhoneNetwork own = new NettyPhoneNetwork(group)) {
            own.callManagerNames(name -> primaryDown.get() && name.equals("pub.lab.example")
                    ? Optional.of(org.phoneemu.tls.client.Ipv4.literal("127.0.0.9"))
                    : node(name));
            Phone phone = Phone.builder().mac(SECURE).model("7970").tftpServer(cluster.publisher().tftpAddress())
                    .flash(state.resolve(SECURE + "-" + FLASHES.incrementAndGet())).clock(clock).network(own).micBits(1024)
                    .lsc(cluster.deviceLsc(SECURE).orElseThrow()).registers(true).build();
            BootReport r = phone.boot().get(60, TimeUnit.SECONDS);
            assertThat(r.registration().flatMap(RegistrationStep::attempted)).hasValueSatisfying(o -> assertThat(o)
                    .isInstanceOfSatisfying(RegistrationOutcome.Registered.class, reg -> assertThat(reg.target().node()).isEqualTo("pub.lab.example")));

            primaryDown.set(true);
            clock.advance(Duration.ofSeconds(115));
            RegistrationStep again = phone.keepRegistered().get(30, TimeUnit.SECONDS).orElseThrow();

            assertThat(again.attempted()).hasValueSatisfying(o -> assertThat(o)
                    .isInstanceOfSatisfying(RegistrationOutcome.Registered.class, reg -> assertThat(reg.target().node()).isEqualTo("sub.lab.example")));
            assertThat(cluster.sipRegistrations("sub")).anySatisfy(reg -> assertThat(reg.deviceName()).isEqualTo("SEP" + SECURE));
            assertThat(phone.consoleLog().contains("SIP: cannot connect to pub.lab.example")).isTrue();
            assertThat(phone.registration()).contains(again);
        }
    }

    @Test
    void bootsPcapHoldsTheRegistrationAsTlsAndItsDecryptedFileTheRegisterInClear() throws Exception {
        Path tshark = org.phoneemu.core.testing.RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        Path pcap = state.resolve("sip-" + FLASHES.incrementAndGet() + ".pcap");
        org.phoneemu.cli.Cli.Result r = org.phoneemu.cli.Cli.run("boot", "--tftp", "127.0.0.1:" + cluster.publisher().tftpPort(),
                "--mac", SECURE, "--state", state.resolve("cli-" + FLASHES.incrementAndGet()).toString(),
                "--resolve", "pub.lab.example=127.0.0.1", "--pcap", pcap.toString(), "--pcap-decrypted");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        int sips = cluster.sipAddress("pub", SipTransport.TLS).orElseThrow().getPort();
        String clear = tshark(tshark, org.phoneemu.phone.capture.PacketCapture.decryptedFileFor(pcap), sips);
        assertThat(clear).contains("REGISTER sip:pub.lab.example SIP/2.0", "Via: SIP/2.0/TLS", "SIP/2.0 200 OK",
                "+u.sip!devicename.ccm.cisco.com=\"SEP" + SECURE + "\"");
        String onTheWire = tshark(tshark, pcap, sips);
        assertThat(onTheWire).as("the TLS stream").isNotEmpty().doesNotContain("REGISTER");
    }

    @Test
    void anAuthenticatedPhonesPcapShowsTsharkTheRegisterInClearInsideNullShaRecords() throws Exception {
        Path tshark = org.phoneemu.core.testing.RequiredPeer.requireProgram("tshark", "/usr/bin/tshark", "tshark");
        Path pcap = state.resolve("sip-" + FLASHES.incrementAndGet() + ".pcap");
        org.phoneemu.cli.Cli.Result r = org.phoneemu.cli.Cli.run("boot", "--tftp", "127.0.0.1:" + cluster.publisher().tftpPort(),
                "--mac", MIC_ONLY, "--state", state.resolve("cli-" + FLASHES.incrementAndGet()).toString(),
                "--resolve", "pub.lab.example=127.0.0.1", "--pcap", pcap.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        int sips = cluster.sipAddress("pub", SipTransport.TLS).orElseThrow().getPort();
        // tshark's own TLS dissector, no keys given: the suite it reads from the ServerHello, and the records' content.
        Process p = new ProcessBuilder(tshark.toString(), "-r", pcap.toString(), "-d", "tcp.port==" + sips + ",tls",
                "-Y", "tcp.port == " + sips, "-T", "fields", "-E", "separator=|", "-e", "tls.handshake.type",
                "-e", "tls.handshake.ciphersuite", "-e", "tls.app_data").redirectErrorStream(false).start();
        String fields = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(fields.lines().filter(l -> l.startsWith("2|") || l.startsWith("2,")))
                .as("the ServerHello (handshake type 2) of:%n%s", fields)
                .isNotEmpty().allSatisfy(l -> assertThat(l).contains("0x0002")); // TLS_RSA_WITH_NULL_SHA
        StringBuilder records = new StringBuilder();
        fields.lines().map(l -> l.substring(l.lastIndexOf('|') + 1)).filter(h -> !h.isBlank())
                .forEach(h -> java.util.Arrays.stream(h.split(",")).forEach(one -> records.append(
                        new String(java.util.HexFormat.of().parseHex(one.replace(":", "").trim()), java.nio.charset.StandardCharsets.ISO_8859_1))));
        assertThat(records.toString()).contains("REGISTER sip:pub.lab.example SIP/2.0", "Via: SIP/2.0/TLS", "SIP/2.0 200 OK",
                "+u.sip!devicename.ccm.cisco.com=\"SEP" + MIC_ONLY + "\"");
    }

    /** The TCP payloads to or from {@code port}, decoded as text. */
    static String tshark(Path tshark, Path pcap, int port) throws Exception {
        Process p = new ProcessBuilder(tshark.toString(), "-r", pcap.toString(), "-Y", "tcp.port == " + port + " && tcp.len > 0",
                "-T", "fields", "-e", "tcp.payload").redirectErrorStream(false).start();
        String hex = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        StringBuilder out = new StringBuilder();
        for (String line : hex.split("\\R")) {
            String h = line.replace(":", "").trim();
            if (!h.isEmpty()) {
                out.append(new String(java.util.HexFormat.of().parseHex(h), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return out.toString();
    }
}
