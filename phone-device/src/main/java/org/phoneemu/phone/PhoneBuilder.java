package org.phoneemu.phone;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.pki.KeyMaterial;

/** Builds a {@link Phone}. */
public final class PhoneBuilder {
    private Mac mac;
    private String model = "7970";
    private final List<InetSocketAddress> tftpServers = new ArrayList<>();
    private Path flash;
    private Clock clock = Clock.systemUTC();
    private PhoneNetwork network;
    private Executor pool = ForkJoinPool.commonPool();
    private int micBits = 2048;
    private KeyMaterial lsc;
    private boolean memoryFlash;
    private int consoleCapacity = org.phoneemu.core.console.ConsoleLog.DEFAULT_CAPACITY;
    private java.util.function.Supplier<KeyMaterial> mic;
    private Provisioning provisioning;
    private boolean registers;

    public PhoneBuilder mac(String mac) {
        this.mac = Mac.parse(mac).orElseThrow(() -> new IllegalArgumentException("MAC must be 12 hex digits, not '" + mac + "'"));
        return this;
    }

    public PhoneBuilder model(String model) {
        this.model = org.phoneemu.core.device.PhoneModel.parse(model)
                .orElseThrow(() -> new IllegalArgumentException("not a phone model: '" + model + "'")).name();
        return this;
    }

    /** TFTP servers in the order DHCP option 150 would give them. */
    public PhoneBuilder tftpServer(InetSocketAddress server) {
        tftpServers.add(server);
        return this;
    }

    /** The download path and HTTP ports (docs/PROTOCOLS.md §4); by default the model's own, on 6970 and 6971. */
    public PhoneBuilder provisioning(Provisioning provisioning) {
        this.provisioning = java.util.Objects.requireNonNull(provisioning, "provisioning");
        return this;
    }

    public PhoneBuilder flash(Path dir) {
        this.flash = dir;
        return this;
    }

    /** Keeps the flash in memory only (large fleets): nothing is written to disk and nothing survives the process. */
    public PhoneBuilder memoryFlash() {
        this.memoryFlash = true;
        return this;
    }

    /** How many console lines the phone keeps (the oldest are dropped); small for large fleets. */
    public PhoneBuilder consoleCapacity(int lines) {
        this.consoleCapacity = lines;
        return this;
    }

    /** Where the MIC comes from when the flash has none (default: a new self-signed key of {@link #micBits}). */
    public PhoneBuilder micSource(java.util.function.Supplier<KeyMaterial> mic) {
        this.mic = mic;
        return this;
    }

    public PhoneBuilder clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public PhoneBuilder network(PhoneNetwork network) {
        this.network = network;
        return this;
    }

    /** Where the phone's work runs (serially per phone); never a Netty event loop. */
    public PhoneBuilder executor(Executor pool) {
        this.pool = pool;
        return this;
    }

    /** Key size of the MIC generated on first start (2048 as real phones; smaller speeds up large fleets). */
    public PhoneBuilder micBits(int bits) {
        this.micBits = bits;
        return this;
    }

    /** An LSC issued by the cluster's CAPF (encrypted configs are wrapped to it). */
    public PhoneBuilder lsc(KeyMaterial lsc) {
        this.lsc = lsc;
        return this;
    }

    /**
     * Whether the phone registers to CallManager after a verified config (docs/SIP.md); off by default, so a phone
     * embedded for its trust decisions only makes no SIP connection.
     */
    public PhoneBuilder registers(boolean on) {
        this.registers = on;
        return this;
    }

    public Phone build() throws IOException {
        Objects.requireNonNull(mac, "mac");
        if (!memoryFlash) {
            Objects.requireNonNull(flash, "flash");
        }
        Objects.requireNonNull(network, "network");
        java.util.function.Supplier<KeyMaterial> newMic = mic != null ? mic
                : () -> manufacturerCertificate(mac.tvsDeviceName(model), micBits, clock);
        Phone phone = new Phone(mac.hex(), model, tftpServers, memoryFlash ? null : flash, clock, network, provisioning != null ? provisioning : Provisioning.byModel(model), pool, newMic,
                Optional.ofNullable(lsc), consoleCapacity);
        phone.registers(registers);
        return phone;
    }

    /** A self-signed stand-in for the Manufacturer Installed Certificate. */
    public static KeyMaterial manufacturerCertificate(String cn, int bits, Clock clock) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn + ",O=Cisco Systems Inc.,OU=phone-emu MIC");
            Date from = Date.from(clock.instant().minus(Duration.ofDays(1)));
            Date to = Date.from(clock.instant().plus(Duration.ofDays(3650)));
            BigInteger serial = BigInteger.valueOf(clock.millis()).shiftLeft(16).add(BigInteger.valueOf(System.nanoTime() & 0xffff));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, serial, from, to, name, kp.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
            return new KeyMaterial(kp.getPrivate(), cert);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a MIC: " + e.getMessage(), e);
        }
    }
}
