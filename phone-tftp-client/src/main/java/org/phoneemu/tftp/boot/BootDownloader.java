package org.phoneemu.tftp.boot;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.tftp.client.TftpReads;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpResult;

/**
 * The files a phone reads over TFTP while it boots (docs/PROTOCOLS.md §2), with the real phone's console lines.
 *
 * <p>Trust lists first: {@code CTLSEP<MAC>.tlv}, falling back to {@code CTLFile.tlv} when not found, then
 * {@code ITLSEP<MAC>.tlv}, falling back to {@code ITLFile.tlv}. The configuration name ({@code .cnf.xml},
 * {@code .cnf.xml.sgn}, {@code .cnf.xml.enc.sgn}, {@code XMLDefault.cnf.xml}) is the trust engine's decision: it
 * calls {@link #fetch}.
 *
 * <p>Servers (the DHCP option 150 list) are tried in order; a server that times out is skipped and the next one
 * asked; the server that last answered is asked first next time. Every TFTP request gets the phone's next
 * request number, printed in brackets ({@code TFTP: [27]:…}). Thread-safe; nothing blocks.
 *
 * <p>It also tells an unreachable cluster from a missing file: {@link #unreachable()} is true when, since
 * {@link #newBoot()}, some download timed out on every server and no download got any answer.
 */
public final class BootDownloader implements BootSession {
    /** Size limit for CTL/ITL files (not printed by the phone; a trust list of hundreds of certificates fits). */
    public static final long TRUST_LIST_MAX_SIZE = TftpOptions.PHONE_CONFIG_MAX_SIZE;


    private final String mac;
    private final List<InetSocketAddress> servers;
    private final ConsoleLog log;
    private final TftpReads client;
    private final TftpOptions options;
    private final AtomicInteger counter;
    /** Index in {@link #servers} of the server asked first. */
    private volatile int preferred;
    /** Since {@link #newBoot()}: a download got an answer (anything but a timeout on every server). */
    private volatile boolean answered;
    /** Since {@link #newBoot()}: a download timed out on every server. */
    private volatile boolean timedOut;
    /** Since {@link #newBoot()}: a download missed its deadline on every server (servers that trickle). */
    private volatile boolean tooSlow;

    /**
     * One download: the name asked for, the server that gave the final answer (the last one tried on timeouts),
     * the outcome, what it came over and what failed before it ({@code fellBack}: HTTPS, then HTTP). Over HTTPS 6971
     * {@code tlsDecision} is the phone's decision on that connection's server certificate, the one that let the request
     * go: the configuration's acceptance uses it, not a decision taken for some other connection. The phone uses it as
     * is, from the transfer to the trust engine.
     */
    public record Download(String name, InetSocketAddress server, TftpResult result, Transport transport,
                           List<FailedAttempt> fellBack, Optional<HttpsDecision> tlsDecision) {
        public Download {
            Objects.requireNonNull(transport, "transport");
            fellBack = List.copyOf(fellBack);
            Objects.requireNonNull(tlsDecision, "tlsDecision");
        }

        /** A download over {@code transport} at the first try, without a TLS decision. */
        public Download(String name, InetSocketAddress server, TftpResult result, Transport transport) {
            this(name, server, result, transport, List.of(), Optional.empty());
        }

        /** A download over TFTP. */
        public Download(String name, InetSocketAddress server, TftpResult result) {
            this(name, server, result, Transport.TFTP);
        }

        /** The same download, after {@code earlier} failed attempts over other transports. */
        public Download after(List<FailedAttempt> earlier) {
            if (earlier.isEmpty()) {
                return this;
            }
            List<FailedAttempt> all = new java.util.ArrayList<>(earlier);
            all.addAll(fellBack);
            return new Download(name, server, result, transport, all, tlsDecision);
        }

        public boolean received() {
            return result instanceof TftpResult.Received;
        }

        public boolean notFound() {
            return result instanceof TftpResult.FileNotFound;
        }

        /** The file's bytes when it was received. */
        public Optional<byte[]> data() {
            return result instanceof TftpResult.Received r ? Optional.of(r.data()) : Optional.empty();
        }
    }

    /**
     * An attempt over a transport that failed before the file was asked over the next one (docs/PROTOCOLS.md §4):
     * HTTPS 6971 refused or down, then HTTP 6970; HTTP down, then TFTP. {@code certificateRefused}: the phone's own
     * decision refused the server's certificate (over 6971: neither a TFTP record of its lists nor vouched for by TVS).
     */
    public record FailedAttempt(Transport transport, String why, boolean certificateRefused) {
        public FailedAttempt {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(why, "why");
        }

        /** A failure other than the phone refusing the server's certificate (down, deadline, status). */
        public FailedAttempt(Transport transport, String why) {
            this(transport, why, false);
        }

        /** {@code https: server certificate not trusted}, as reports print it. */
        public String describe() {
            return transport.name().toLowerCase(java.util.Locale.ROOT) + ": " + why;
        }
    }

    /** The CTL and ITL downloads; each names the file that gave the outcome (the fallback name when it was asked). */
    public record TrustLists(Download ctl, Download itl) {
    }

    /** Plain RFC 1350 transfers (1 s timeout, 5 retries); request numbers start at 1. */
    public BootDownloader(String mac, List<InetSocketAddress> servers, ConsoleLog log, TftpReads client) {
        this(mac, servers, log, client, TftpOptions.defaults(), 1);
    }

    /**
     * @param options      timeout, retries and RFC 2347 options for every transfer; the size limit is per call
     * @param firstCounter the request number printed for the first request
     */
    public BootDownloader(String mac, List<InetSocketAddress> servers, ConsoleLog log, TftpReads client,
                          TftpOptions options, int firstCounter) {
        if (!Mac.isCanonical(mac)) {
            throw new IllegalArgumentException("MAC must be 12 upper-case hex digits: " + mac);
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no TFTP server");
        }
        this.mac = mac;
        this.servers = List.copyOf(servers);
        this.log = Objects.requireNonNull(log, "log");
        this.client = Objects.requireNonNull(client, "client");
        this.options = Objects.requireNonNull(options, "options");
        this.counter = new AtomicInteger(firstCounter);
    }

    @Override
    public String mac() {
        return mac;
    }

    /** Starts a boot: {@link #unreachable()} judges the downloads from here on. */
    @Override
    public void newBoot() {
        answered = false;
        timedOut = false;
        tooSlow = false;
    }

    /**
     * True when, since {@link #newBoot()}, some file did not arrive within its deadline
     * ({@link TftpOptions#deadline()}) from any server: the servers answer, too slowly to be of use.
     */
    @Override
    public boolean tooSlow() {
        return tooSlow;
    }

    /** The deadline of one download. */
    @Override
    public java.time.Duration deadline() {
        return options.deadline();
    }

    /** True when, since {@link #newBoot()}, a download timed out on every server and none got an answer. */
    @Override
    public boolean unreachable() {
        return timedOut && !answered;
    }

    /**
     * Sees each download as it ends, with how long it took: a fleet's latencies per phase and the failed file
     * named in a phone's row. Called on the transfer's event loop: keep it quick.
     */
    public interface Observer {
        /** The CTL and ITL downloads of a boot (with their fallbacks) took {@code nanos}. */
        void trustLists(TrustLists lists, long nanos);

        /** One {@link #fetch} (a config) took {@code nanos}. */
        void file(Download download, long nanos);
    }

    private volatile Observer observer;
    private volatile LongSupplier nanoTime = System::nanoTime;

    /** Reports every later download to {@code observer}, timed with {@code nanoTime}. */
    @Override
    public void observe(Observer observer, LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime);
        this.observer = Objects.requireNonNull(observer);
    }

    /** CTL then ITL, each with its fallback to the cluster-wide name when the per-device name is not found. */
    @Override
    public CompletableFuture<TrustLists> fetchTrustLists() {
        Observer o = observer;
        long start = o == null ? 0 : nanoTime.getAsLong();
        CompletableFuture<TrustLists> lists = trustList("CTL" + new Mac(mac).deviceName() + ".tlv", "CTLFile.tlv")
                .thenCompose(ctl -> trustList("ITL" + new Mac(mac).deviceName() + ".tlv", "ITLFile.tlv")
                        .thenApply(itl -> new TrustLists(ctl, itl)));
        return o == null ? lists : lists.whenComplete((t, e) -> {
            if (t != null) {
                o.trustLists(t, nanoTime.getAsLong() - start);
            }
        });
    }

    /**
     * Reads {@code name} with a size limit, logged like the phone's config request
     * ({@code …from 14.48.44.80 with size limit of 550001}).
     */
    @Override
    public CompletableFuture<Download> fetch(String name, long maxSize) {
        Observer o = observer;
        long start = o == null ? 0 : nanoTime.getAsLong();
        CompletableFuture<Download> d = download(name, maxSize, true);
        return o == null ? d : d.whenComplete((r, e) -> {
            if (r != null) {
                o.file(r, nanoTime.getAsLong() - start);
            }
        });
    }

    private CompletableFuture<Download> trustList(String perDevice, String clusterWide) {
        return requestTrustList(perDevice).thenCompose(d -> d.result() instanceof TftpResult.FileNotFound
                ? requestTrustList(clusterWide)
                : CompletableFuture.completedFuture(d));
    }

    /** One trust-list name over TFTP, with the phone's request line; {@link ProvisioningSession}'s fallback. */
    CompletableFuture<Download> requestTrustList(String name) {
        log.notice("SECD: tlRequestFile: Request " + name);
        return download(name, TRUST_LIST_MAX_SIZE, false);
    }

    /** The phone's next request number (shared by every transport, as the phone numbers its requests). */
    int nextRequestNumber() {
        return counter.getAndIncrement();
    }

    /** One file over TFTP, without the observer (the HTTP session's fallback). */
    CompletableFuture<Download> read(String name, long maxSize, boolean showLimit) {
        return download(name, maxSize, showLimit);
    }

    /** Marks this boot's servers as having answered (a file came over HTTP). */
    void answeredOtherwise() {
        answered = true;
    }

    Observer observer() {
        return observer;
    }

    long nanoTime() {
        return nanoTime.getAsLong();
    }

    private CompletableFuture<Download> download(String name, long maxSize, boolean showLimit) {
        return attempt(name, maxSize, showLimit, preferred, 0);
    }

    /** Asks server {@code index}; on a timeout moves to the next one until all {@code servers.size()} were asked. */
    private CompletableFuture<Download> attempt(String name, long maxSize, boolean showLimit, int index, int tried) {
        InetSocketAddress server = servers.get(index);
        int n = counter.getAndIncrement();
        String ip = server.getAddress().getHostAddress();
        log.notice("TFTP: [" + n + "]:Requesting " + name + " from " + ip + (showLimit ? " with size limit of " + maxSize : ""));
        return client.read(server, name, options.withMaxSize(maxSize))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        log.error("TFTP: [" + n + "]:Socket Error : " + name + " (" + e + ")");
                    }
                })
                .thenCompose(r -> {
                    logOutcome(n, name, ip, r);
                    boolean late = r instanceof TftpResult.TimedOut || r instanceof TftpResult.DeadlineExceeded;
                    if (late && tried + 1 < servers.size()) {
                        return attempt(name, maxSize, showLimit, (index + 1) % servers.size(), tried + 1);
                    }
                    if (r instanceof TftpResult.TimedOut) {
                        timedOut = true;
                    } else if (r instanceof TftpResult.DeadlineExceeded) {
                        tooSlow = true;
                    } else {
                        answered = true;
                        preferred = index;
                    }
                    return CompletableFuture.completedFuture(new Download(name, server, r));
                });
    }

    private void logOutcome(int n, String name, String ip, TftpResult r) {
        String p = "TFTP: [" + n + "]:";
        if (r instanceof TftpResult.Received rcvd) {
            log.notice(p + "Finished --> rcvd " + rcvd.data().length + " bytes");
        } else if (r instanceof TftpResult.FileNotFound) {
            log.warn(p + "File Not Found : " + name);
        } else if (r instanceof TftpResult.TimedOut t) {
            log.error(p + "Timed Out : " + name + " from " + ip + " after " + t.attempts() + " attempts");
        } else if (r instanceof TftpResult.DeadlineExceeded d) {
            // The phone's "Timed Out" line, with why: the server answers, but too slowly for the file's deadline.
            log.error(p + "Timed Out : " + name + " from " + ip + " (not received within " + d.deadline().toSeconds() + " s, "
                    + d.received() + " bytes so far)");
        } else if (r instanceof TftpResult.AccessViolation) {
            log.error(p + "Access Violation : " + name);
        } else if (r instanceof TftpResult.TooLarge t) {
            log.error(p + "File Too Large : " + name + " max size = " + t.limit());
        } else if (r instanceof TftpResult.ServerError s) {
            log.error(p + "Server Error " + s.code() + " : " + name + " (" + s.message() + ")");
        } else if (r instanceof TftpResult.ProtocolError pe) {
            log.error(p + "Protocol Error : " + name + " (" + pe.reason() + ")");
        }
    }
}
