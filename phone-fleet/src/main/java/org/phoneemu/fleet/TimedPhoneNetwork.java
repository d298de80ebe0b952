package org.phoneemu.fleet;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.phone.PhoneNetwork;

/**
 * A {@link PhoneNetwork} that records how long each TFTP download and TVS query of the phones takes, and each
 * phone's last failed download of the current boot (so a boot that ended without a config because of lost packets
 * has an error in its row, not just a verdict).
 */
final class TimedPhoneNetwork implements PhoneNetwork {
    private final java.util.concurrent.ConcurrentHashMap<String, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final PhoneNetwork network;
    private final Latencies latencies;
    private final LongSupplier nanoTime;

    TimedPhoneNetwork(PhoneNetwork network, Latencies latencies, LongSupplier nanoTime) {
        this.network = network;
        this.latencies = latencies;
        this.nanoTime = nanoTime;
    }

    @Override
    public TftpSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log) {
        TftpSession session = network.tftpSession(mac, servers, log);
        return new TftpSession() {
            @Override
            public CompletableFuture<TrustListDownloads> trustLists() {
                return timed(Phase.TFTP_TRUST_LISTS, session.trustLists()).whenComplete((t, e) -> {
                    if (t != null) {
                        noteFailure(mac, t.ctlName(), t.ctl());
                        noteFailure(mac, t.itlName(), t.itl());
                    }
                });
            }

            @Override
            public CompletableFuture<Download> fetch(String fileName, long maxSize) {
                return timed(Phase.TFTP_CONFIG, session.fetch(fileName, maxSize)).whenComplete((d, e) -> noteFailure(mac, fileName, d));
            }
        };
    }

    @Override
    public CompletableFuture<TvsAnswer> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                                  Predicate<X509Certificate> trustedTvs, Optional<KeyMaterial> clientCertificate,
                                                  ConsoleLog log) {
        return timed(Phase.TVS, network.tvsVerify(servers, certificate, deviceName, trustedTvs, clientCertificate, log));
    }

    @Override
    public CompletableFuture<HttpsOutcome> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log) {
        return timed(Phase.HTTPS, network.httpsGet(url, decider, log));
    }

    private void noteFailure(String mac, String file, Download d) {
        if (d instanceof Download.Failed f) {
            failures.put(mac.toUpperCase(java.util.Locale.ROOT), "TFTP " + file + ": " + f.reason());
        }
    }

    /** Forgets a phone's failures (at the start of its boot). */
    void clearFailure(String mac) {
        failures.remove(mac);
    }

    /** The phone's last failed download since {@link #clearFailure}, if any. */
    Optional<String> failure(String mac) {
        return Optional.ofNullable(failures.get(mac));
    }

    private <T> CompletableFuture<T> timed(Phase phase, CompletableFuture<T> work) {
        long start = nanoTime.getAsLong();
        // Started before the call returned: the time includes the whole exchange (retries included).
        return work.whenComplete((r, e) -> latencies.record(phase, nanoTime.getAsLong() - start));
    }
}
