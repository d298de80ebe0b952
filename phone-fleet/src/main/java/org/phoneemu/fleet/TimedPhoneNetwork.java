package org.phoneemu.fleet;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.boot.BootSession;
import org.phoneemu.tftp.client.TftpResult;
import org.phoneemu.tvs.https.HttpsResult;

/**
 * A {@link PhoneNetwork} that records how long each TFTP download and TVS query of the phones takes, and each
 * phone's last failed download of the current boot (so a boot that ended without a config because of lost packets
 * has an error in its row, not just a verdict).
 */
final class TimedPhoneNetwork implements PhoneNetwork {
    /**
     * A failed download: what the row says, and whether the server refused it (an error packet, no answer through
     * the retransmissions, blocks too slow for the deadline) rather than the phone refusing what came.
     */
    record DownloadFailure(String text, boolean serverRefused) {
    }

    private final ConcurrentHashMap<String, DownloadFailure> failures = new ConcurrentHashMap<>();
    private final PhoneNetwork network;
    private final Latencies latencies;
    private final LongSupplier nanoTime;

    TimedPhoneNetwork(PhoneNetwork network, Latencies latencies, LongSupplier nanoTime) {
        this.network = network;
        this.latencies = latencies;
        this.nanoTime = nanoTime;
    }

    @Override
    public BootSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log) {
        return timed(mac, network.tftpSession(mac, servers, log));
    }

    @Override
    public BootSession bootSession(String mac, List<InetSocketAddress> servers, ConsoleLog log, org.phoneemu.phone.Provisioning provisioning) {
        return timed(mac, network.bootSession(mac, servers, log, provisioning));
    }

    private BootSession timed(String mac, BootSession session) {
        String key = mac.toUpperCase(Locale.ROOT);
        session.observe(new BootDownloader.Observer() {
            @Override
            public void trustLists(BootDownloader.TrustLists lists, long nanos) {
                latencies.record(Phase.TFTP_TRUST_LISTS, nanos);
                noteFailure(key, lists.ctl());
                noteFailure(key, lists.itl());
            }

            @Override
            public void file(BootDownloader.Download download, long nanos) {
                latencies.record(Phase.TFTP_CONFIG, nanos);
                noteFailure(key, download);
            }
        }, nanoTime);
        return session;
    }

    @Override
    public CompletableFuture<TvsReply> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                                 InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate,
                                                 ConsoleLog log) {
        long start = nanoTime.getAsLong();
        return network.tvsVerify(servers, certificate, deviceName, trustedLists, clientCertificate, log)
                .whenComplete((r, e) -> latencies.record(Phase.TVS, nanoTime.getAsLong() - start));
    }

    @Override
    public CompletableFuture<HttpsResult> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log) {
        long start = nanoTime.getAsLong();
        return network.httpsGet(url, decider, log).whenComplete((r, e) -> latencies.record(Phase.HTTPS, nanoTime.getAsLong() - start));
    }

    /** A download that neither arrived nor was "not found" (timeouts after retransmissions, errors, too large). */
    private void noteFailure(String mac, BootDownloader.Download d) {
        if (!d.received() && !d.notFound()) {
            TftpResult r = d.result();
            boolean refused = r instanceof TftpResult.TimedOut || r instanceof TftpResult.ServerError
                    || r instanceof TftpResult.AccessViolation || r instanceof TftpResult.DeadlineExceeded;
            failures.put(mac, new DownloadFailure("TFTP " + d.name() + ": " + describe(r), refused));
        }
    }

    private static String describe(TftpResult r) {
        if (r instanceof TftpResult.TimedOut t) {
            return "timed out after " + t.attempts() + " attempts";
        }
        if (r instanceof TftpResult.TooLarge tl) {
            return "larger than the limit of " + tl.limit() + " bytes";
        }
        if (r instanceof TftpResult.AccessViolation) {
            return "access violation";
        }
        if (r instanceof TftpResult.ServerError se) {
            return "server error " + se.code() + ": " + se.message();
        }
        if (r instanceof TftpResult.DeadlineExceeded de) {
            return "not received within " + de.deadline().toSeconds() + " s (" + de.received() + " bytes came)";
        }
        if (r instanceof TftpResult.ProtocolError pe) {
            return "protocol error: " + pe.reason();
        }
        return r.toString();
    }

    /** Forgets a phone's failures (at the start of its boot). */
    void clearFailure(String mac) {
        failures.remove(mac);
    }

    /** The phone's last failed download since {@link #clearFailure}, if any. */
    Optional<DownloadFailure> failure(String mac) {
        return Optional.ofNullable(failures.get(mac));
    }

    @Override
    public CompletableFuture<org.phoneemu.core.sip.RegistrationOutcome> register(org.phoneemu.phone.RegisterRequest request, ConsoleLog log) {
        long start = nanoTime.getAsLong();
        return network.register(request, log).whenComplete((r, e) -> latencies.record(Phase.REGISTRATION, nanoTime.getAsLong() - start));
    }
}
