package org.phoneemu.phone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.store.ManufacturingCaStore;

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

    private org.phoneemu.core.store.FileOps flashOps = org.phoneemu.core.store.FileOps.system();

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

    /**
     * The flash folder is scratch (a prediction's copy, deleted afterwards): written as usual but never fsynced, as
     * surviving a power cut is worth nothing there.
     */
    public PhoneBuilder scratchFlash() {
        this.flashOps = org.phoneemu.core.store.FileOps.unsynced();
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

    /** Where the MIC comes from when the flash has none (default: a new key of {@link #micBits}, issued by the simulated manufacturing CA). */
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

    private boolean reportsTrustLists = true;

    /**
     * Whether a registration is followed by the DeviceTLInfo alarm (docs/SIP.md §11), on by default; a fleet turns it
     * off, as it measures registrations and the alarm costs each phone a second connection.
     */
    public PhoneBuilder reportsTrustLists(boolean on) {
        this.reportsTrustLists = on;
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
                Optional.ofNullable(lsc), consoleCapacity, flashOps);
        phone.registers(registers);
        phone.reportsTrustLists(reportsTrustLists);
        return phone;
    }

    /**
     * A Manufacturer Installed Certificate with a new key, issued by the simulated manufacturing CA of the default
     * key pool folder ({@code core.store.ManufacturingCaStore#shared}), whose root the simulated cluster trusts.
     */
    public static KeyMaterial manufacturerCertificate(String cn, int bits, Clock clock) {
        return ManufacturingCaStore.shared().issueWithNewKey(cn, bits, clock);
    }
}
