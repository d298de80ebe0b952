package org.phoneemu.cli;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.fleet.CryptoProviders;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.DeviceList;
import org.phoneemu.fleet.MicPool;
import org.phoneemu.phone.NettyPhoneNetwork;

/**
 * The registration storms of {@code bench fleet}: new mutual-TLS registrations, the phones' own SIP client and certificates
 * (MICs: issued by the key pool's simulated manufacturing CA, RSA-2048 as real phones' are: OpenSSL's default security level in Kamailio refuses 1024-bit
 * client keys; {@link #MIC_POOL} keys shared), {@link #IN_FLIGHT} at once, against the simulated registrar
 * (an Authenticated cluster, RSA-2048 CallManager key) and against Kamailio (RSA-2048 server key; there the phones'
 * keys certified by one CA, the only entry of Kamailio's CA list).
 */
final class RegistrationBench {
    /** Registrations in flight at once: the fleet's default concurrency. */
    static final int IN_FLIGHT = org.phoneemu.fleet.FleetOptions.DEFAULT_MAX_CONCURRENT;

    /** RSA-2048 keys the storms' MICs share (generated once into the work folder). */
    static final int MIC_POOL = 8;

    private RegistrationBench() {
    }

    /** The phones of a storm: generated MACs, each a MIC. */
    private static List<RegistrationStorm.Phone> phones(Path keyPool, int n) throws IOException {
        MicPool mics = MicPool.open(keyPool, 2048, MIC_POOL, Clock.systemUTC());
        List<RegistrationStorm.Phone> out = new ArrayList<>();
        for (Device d : DeviceList.generated(DeviceList.DEFAULT_MAC_BASE, n, "7970")) {
            out.add(new RegistrationStorm.Phone(d.mac(), mics.issue("CP-7970-" + d.name())));
        }
        return out;
    }

    /** The storm against the simulated cluster's registrar, started in this process with a device for every phone. */
    static RegistrationStorm.Result againstSimulated(ClusterSpec base, Path keyPool, Path work, int n) throws IOException, InterruptedException {
        CryptoProviders.install();
        List<RegistrationStorm.Phone> phones = phones(keyPool, n);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            ClusterSpec spec = SimCluster.withDevices(base, DeviceList.generated(DeviceList.DEFAULT_MAC_BASE, n, "7970"));
            try (Cluster cluster = SimCluster.start(spec, work.resolve("storm-cluster"), Clock.systemUTC(), group,
                    org.phoneemu.core.store.ManufacturingCaStore.open(keyPool))) {
                Node pub = cluster.publisher();
                java.net.InetSocketAddress sips = cluster.sipAddress(pub.id(), SipTransport.TLS).orElseThrow(
                        () -> new UserError(PhoneEmu.BAD_INPUT, "the cluster's publisher runs no SIP registrar"));
                X509Certificate callManager = pub.certificate(CertificateUnit.CALLMANAGER);
                org.phoneemu.cucm.sip.RegistrarCounts before = cluster.sipCounts(pub.id()).orElseThrow();
                RegistrationStorm.Result r = RegistrationStorm.run(network, new CallManagerTarget(0, sips.getAddress().getHostAddress(),
                        sips.getPort(), SipTransport.TLS), phones, callManager::equals, IN_FLIGHT, 60);
                return r.withRegistrar(cluster.sipCounts(pub.id()).orElseThrow().since(before));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** The storm against Kamailio; empty (and said) when Kamailio or its TLS module is missing or does not start. */
    static Optional<RegistrationStorm.Result> againstKamailio(Optional<Path> binary, Path keyPool, Path work, int n, Consumer<String> say)
            throws IOException, InterruptedException {
        Optional<Path> modules = KamailioPeer.modules();
        if (binary.isEmpty() || modules.isEmpty()) {
            say.accept("4b/4 skipped: Kamailio (kamailio, kamailio-tls-modules) is not installed");
            return Optional.empty();
        }
        CryptoProviders.install();
        // One CA issues every phone's certificate, as a CAPF does: Kamailio's TLS took about 3 s a handshake with a CA
        // list of 300 self-signed certificates, against 0.2 s with one (openssl s_client, 2026-12-06).
        org.phoneemu.cucm.pki.CertificateIssuer issuer = new org.phoneemu.cucm.pki.CertificateIssuer(
                java.util.Map.of("O", "phone-emu bench"), 16, Clock.systemUTC(), new java.security.SecureRandom());
        KeyMaterial ca = issuer.authority("phone-emu bench CA", 2048);
        List<RegistrationStorm.Phone> phones = new ArrayList<>();
        for (RegistrationStorm.Phone p : phones(keyPool, n)) {
            X509Certificate cert = issuer.certify(ca, "SEP" + p.mac(), p.certificate().certificate().getPublicKey(),
                    org.phoneemu.cucm.pki.CertificateIssuer.Profile.PHONE);
            phones.add(new RegistrationStorm.Phone(p.mac(), new KeyMaterial(p.certificate().privateKey(), cert)));
        }
        KeyMaterial server = MicPool.open(work.resolve("kamailio-key"), 2048, 1, Clock.systemUTC()).issue("kamailio.bench.example");
        Optional<KamailioPeer> peer = KamailioPeer.start(binary.get(), modules.get(), work.resolve("kamailio"), server, List.of(ca));
        if (peer.isEmpty()) {
            say.accept("4b/4 skipped: Kamailio did not start (" + work.resolve("kamailio").resolve("kamailio.log") + ")");
            return Optional.empty();
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (KamailioPeer k = peer.get(); NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            say.accept("4b/4 " + n + " registrations to Kamailio on 127.0.0.1:" + k.port() + " (TLS, client certificate required), "
                    + IN_FLIGHT + " in flight");
            RegistrationStorm.Result r = RegistrationStorm.run(network, new CallManagerTarget(0, "127.0.0.1", k.port(), SipTransport.TLS),
                    phones, server.certificate()::equals, IN_FLIGHT, 60);
            if (r.registered() < r.phones()) {
                // What Kamailio said about it, so that a storm that fails on the day can be read later.
                say.accept("    Kamailio's log: " + work.resolve("kamailio").resolve("kamailio.log") + " ("
                        + KamailioPeer.errorLines(work.resolve("kamailio").resolve("kamailio.log")) + " ERROR line(s))");
            }
            return Optional.of(r);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
