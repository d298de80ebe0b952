package org.phoneemu.tftp.boot;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * A phone's TFTP side as the phone uses it: the boot's trust-list downloads, single downloads, and how the servers
 * did during the boot. {@link BootDownloader} is the implementation (its console lines, names and fallbacks) over
 * any {@link org.phoneemu.tftp.client.TftpReads}, a Netty client or reads answered in process.
 */
public interface BootSession {
    String mac();

    /** Starts a boot: {@link #unreachable()} and {@link #tooSlow()} judge the downloads from here on. */
    void newBoot();

    /** Some file did not arrive within its deadline since {@link #newBoot()}. */
    boolean tooSlow();

    /** The deadline of one download. */
    Duration deadline();

    /** A download timed out on every server and none answered since {@link #newBoot()}. */
    boolean unreachable();

    /** Reports every later download to {@code observer}, timed with {@code nanoTime}. */
    void observe(BootDownloader.Observer observer, LongSupplier nanoTime);

    /** CTL then ITL, each with its fallback to the cluster-wide name. */
    CompletableFuture<BootDownloader.TrustLists> fetchTrustLists();

    /** One file by name, at most {@code maxSize} bytes, from the first server that answers. */
    CompletableFuture<BootDownloader.Download> fetch(String name, long maxSize);

    /**
     * The configuration {@code name}; with {@code httpsJudge} (the phone's decision on the server certificate, asked
     * before anything is sent; only {@link org.phoneemu.core.https.HttpsDecision.Allowed} lets the request go) a
     * session that provisions over HTTPS tries port 6971 first (docs/PROTOCOLS.md §4), and a file received there
     * carries that decision ({@link BootDownloader.Download#tlsDecision()}). Plain TFTP sessions ignore the judge.
     */
    default CompletableFuture<BootDownloader.Download> fetchConfig(String name, long maxSize,
            java.util.Optional<java.util.function.Function<java.security.cert.X509Certificate,
                    CompletableFuture<org.phoneemu.core.https.HttpsDecision>>> httpsJudge) {
        return fetch(name, maxSize);
    }
}
