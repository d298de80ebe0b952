package org.phoneemu.tftp.boot;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.tftp.client.TftpResult;

/**
 * The boot downloads of a phone that provisions over HTTP (docs/PROTOCOLS.md §4): the configuration over HTTPS
 * 6971 first (when the phone gives a judge for the server certificate), then HTTP 6970, then TFTP; trust lists and
 * other files over HTTP 6970, then TFTP. Every file comes back as the same {@link BootDownloader.Download} as over
 * TFTP, with its {@link Transport}, so the phone verifies it by the same rules whatever it came over.
 *
 * <p>The HTTP server is the phone's first TFTP server (its "tftp-server-name") on the HTTP ports. A 404 is an
 * answer (the file is not served; the per-device list then falls back to the cluster-wide name, as over TFTP);
 * anything else that is not a file (connection refused, the deadline, another status) is a failure: TFTP for that
 * file, and for the rest of the boot (**Chosen**: a phone does not wait on a dead HTTP server for every file).
 * Thread-safe; nothing blocks.
 */
public final class ProvisioningSession implements BootSession {
    /** The ports of CUCM's TFTP service for HTTP and HTTPS provisioning. */
    public static final int HTTP_PORT = 6970;
    public static final int HTTPS_PORT = 6971;

    private final BootDownloader tftp;
    private final ConsoleLog log;
    private final HttpReads reads;
    private final InetSocketAddress http;
    private final InetSocketAddress https;
    /** Since {@link #newBoot()}: HTTP failed once; the boot's other files go to TFTP. */
    private volatile boolean httpFailed;

    /**
     * @param tftp      the TFTP session (the fallback; its servers, request numbers and deadline are shared)
     * @param httpPort  6970 on a real cluster
     * @param httpsPort 6971 on a real cluster
     */
    public ProvisioningSession(BootDownloader tftp, List<InetSocketAddress> servers, ConsoleLog log, HttpReads reads,
                               int httpPort, int httpsPort) {
        this.tftp = Objects.requireNonNull(tftp, "tftp");
        this.log = Objects.requireNonNull(log, "log");
        this.reads = Objects.requireNonNull(reads, "reads");
        String host = servers.get(0).getAddress() != null ? servers.get(0).getAddress().getHostAddress() : servers.get(0).getHostString();
        this.http = new InetSocketAddress(host, httpPort);
        this.https = new InetSocketAddress(host, httpsPort);
    }

    @Override
    public String mac() {
        return tftp.mac();
    }

    @Override
    public void newBoot() {
        tftp.newBoot();
        httpFailed = false;
    }

    @Override
    public boolean tooSlow() {
        return tftp.tooSlow();
    }

    @Override
    public Duration deadline() {
        return tftp.deadline();
    }

    @Override
    public boolean unreachable() {
        return tftp.unreachable();
    }

    @Override
    public void observe(BootDownloader.Observer observer, LongSupplier nanoTime) {
        tftp.observe(observer, nanoTime);
    }

    @Override
    public CompletableFuture<BootDownloader.TrustLists> fetchTrustLists() {
        BootDownloader.Observer o = tftp.observer();
        long start = o == null ? 0 : tftp.nanoTime();
        String device = new Mac(tftp.mac()).deviceName();
        CompletableFuture<BootDownloader.TrustLists> lists = trustList("CTL" + device + ".tlv", "CTLFile.tlv")
                .thenCompose(ctl -> trustList("ITL" + device + ".tlv", "ITLFile.tlv").thenApply(itl -> new BootDownloader.TrustLists(ctl, itl)));
        return o == null ? lists : lists.whenComplete((t, e) -> {
            if (t != null) {
                o.trustLists(t, tftp.nanoTime() - start);
            }
        });
    }

    @Override
    public CompletableFuture<BootDownloader.Download> fetch(String name, long maxSize) {
        return observed(overHttpThenTftp(name, maxSize, true));
    }

    @Override
    public CompletableFuture<BootDownloader.Download> fetchConfig(String name, long maxSize,
            Optional<Function<X509Certificate, CompletableFuture<HttpsDecision>>> httpsJudge) {
        if (httpsJudge.isEmpty()) {
            return fetch(name, maxSize);
        }
        int n = tftp.nextRequestNumber();
        log.notice("HTTPS: [" + n + "]:Requesting https://" + address(https) + "/" + name + " with size limit of " + maxSize);
        // This connection's own decision, carried with what it delivers (never another connection's).
        AtomicReference<HttpsDecision> decided = new AtomicReference<>();
        Function<X509Certificate, CompletableFuture<Boolean>> gate = cert -> httpsJudge.get().apply(cert).thenApply(d -> {
            decided.set(d);
            return d instanceof HttpsDecision.Allowed;
        });
        return observed(reads.https(https, name, maxSize, gate).thenCompose(r -> {
            if (r instanceof HttpRead.Answered a && a.result() instanceof TftpResult.Received got) {
                log.notice("HTTPS: [" + n + "]:Finished --> rcvd " + got.data().length + " bytes");
                tftp.answeredOtherwise();
                return CompletableFuture.completedFuture(new BootDownloader.Download(name, https, got, Transport.HTTPS, List.of(),
                        Optional.ofNullable(decided.get())));
            }
            // usecallmanager.nz: "before falling back to HTTP on failure"; a missing file counts as one (**Chosen**).
            boolean refused = decided.get() instanceof HttpsDecision.Refused;
            String why = decided.get() instanceof HttpsDecision.Refused no ? "server certificate not trusted: " + no.reason() : why(r);
            log.error("HTTPS: [" + n + "]:Failed : " + name + " (" + why + "), falling back to HTTP");
            return overHttpThenTftp(name, maxSize, true)
                    .thenApply(d -> d.after(List.of(new BootDownloader.FailedAttempt(Transport.HTTPS, why, refused))));
        }));
    }

    private CompletableFuture<BootDownloader.Download> observed(CompletableFuture<BootDownloader.Download> d) {
        BootDownloader.Observer o = tftp.observer();
        if (o == null) {
            return d;
        }
        long start = tftp.nanoTime();
        return d.whenComplete((r, e) -> {
            if (r != null) {
                o.file(r, tftp.nanoTime() - start);
            }
        });
    }

    private CompletableFuture<BootDownloader.Download> trustList(String perDevice, String clusterWide) {
        return oneTrustList(perDevice).thenCompose(d -> d.notFound() ? oneTrustList(clusterWide) : CompletableFuture.completedFuture(d));
    }

    private CompletableFuture<BootDownloader.Download> oneTrustList(String name) {
        if (httpFailed) {
            return tftp.requestTrustList(name);
        }
        log.notice("SECD: tlRequestFile: Request " + name);
        return overHttpThenTftp(name, BootDownloader.TRUST_LIST_MAX_SIZE, false);
    }

    /** HTTP 6970 unless it failed this boot; TFTP when it fails. */
    private CompletableFuture<BootDownloader.Download> overHttpThenTftp(String name, long maxSize, boolean showLimit) {
        if (httpFailed) {
            return tftp.read(name, maxSize, showLimit);
        }
        int n = tftp.nextRequestNumber();
        log.notice("HTTP: [" + n + "]:Requesting http://" + address(http) + "/" + name + (showLimit ? " with size limit of " + maxSize : ""));
        return reads.http(http, name, maxSize, tftp.deadline()).thenCompose(r -> {
            if (r instanceof HttpRead.Answered a) {
                logAnswer(n, name, a.result());
                tftp.answeredOtherwise();
                return CompletableFuture.completedFuture(new BootDownloader.Download(name, http, a.result(), Transport.HTTP));
            }
            String why = why(r);
            log.error("HTTP: [" + n + "]:Failed : " + name + " (" + why + "), falling back to TFTP");
            httpFailed = true;
            return tftp.read(name, maxSize, showLimit).thenApply(d -> d.after(List.of(new BootDownloader.FailedAttempt(Transport.HTTP, why))));
        });
    }

    private void logAnswer(int n, String name, TftpResult r) {
        String p = "HTTP: [" + n + "]:";
        if (r instanceof TftpResult.Received got) {
            log.notice(p + "Finished --> rcvd " + got.data().length + " bytes");
        } else if (r instanceof TftpResult.FileNotFound) {
            log.warn(p + "File Not Found : " + name);
        } else if (r instanceof TftpResult.AccessViolation) {
            log.error(p + "Access Violation : " + name);
        } else if (r instanceof TftpResult.TooLarge t) {
            log.error(p + "File Too Large : " + name + " max size = " + t.limit());
        }
    }

    private static String why(HttpRead r) {
        if (r instanceof HttpRead.Failed f) {
            return f.why();
        }
        TftpResult t = ((HttpRead.Answered) r).result();
        return t instanceof TftpResult.FileNotFound ? "not found" : t.getClass().getSimpleName();
    }

    private static String address(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}
