package org.phoneemu.capf.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.phoneemu.capf.api.CapfFlash;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.api.CapfRequest;
import org.phoneemu.capf.wire.CapfMessageDecoder;
import org.phoneemu.capf.wire.CapfMessageEncoder;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.tls.client.ClientTls;
import org.phoneemu.tls.client.ConnectFailure;
import org.phoneemu.tls.client.TlsConnections;
import org.phoneemu.tls.client.TlsFailures;

/**
 * The phone's CAPF client. {@link #run} performs the certificate operation the server has pending for the phone
 * (install/upgrade, delete or troubleshoot) and completes with a {@link CapfOutcome}, never exceptionally. A
 * communication failure (connect, TLS, timeout, hang-up, malformed message) is retried until
 * {@link CapfClientOptions#tries()} tries were made, {@link CapfClientOptions#retryDelay()} apart; a refusal is
 * final. The flash is written only once the server confirmed the whole operation, through {@link CapfFlash}, on the
 * phone's executor.
 *
 * <pre>{@code
 * CapfClient client = CapfClient.create(CapfClientOptions.DEFAULTS, clock);
 * CapfOutcome o = client.run(request, CapfFlash.of(trustStore, phoneExecutor), phoneConsoleLog).join();
 * }</pre>
 */
public final class CapfClient implements AutoCloseable {
    private final EventLoopGroup group;
    private final Executor worker;
    private final CapfClientOptions options;
    private final Clock clock;
    private final SecureRandom random;
    private final boolean ownsResources;
    /** Sees each connection's channel once its pipeline is built (a packet capture). */
    private final java.util.function.Consumer<io.netty.channel.Channel> tap;

    /**
     * @param group the Netty group connections run on
     * @param worker where keys are generated and certificates checked (never an event loop)
     */
    public CapfClient(EventLoopGroup group, Executor worker, CapfClientOptions options, Clock clock, SecureRandom random) {
        this(group, worker, options, clock, random, false, ch -> { });
    }

    /** As above, with {@code tap} seeing each connection's channel once its pipeline is built (a packet capture). */
    public CapfClient(EventLoopGroup group, Executor worker, CapfClientOptions options, Clock clock, SecureRandom random,
                      java.util.function.Consumer<io.netty.channel.Channel> tap) {
        this(group, worker, options, clock, random, false, tap);
    }

    /** Each connection starts through it (a fleet's cap per server). */
    private volatile org.phoneemu.net.ServerLimiter limiter = org.phoneemu.net.ServerLimiter.NONE;

    private CapfClient(EventLoopGroup group, Executor worker, CapfClientOptions options, Clock clock, SecureRandom random,
                       boolean owns, java.util.function.Consumer<io.netty.channel.Channel> tap) {
        this.group = Objects.requireNonNull(group);
        this.worker = Objects.requireNonNull(worker);
        this.options = Objects.requireNonNull(options);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.ownsResources = owns;
        this.tap = Objects.requireNonNull(tap);
    }

    /** A client with its own event loop and worker thread, released by {@link #close()}. */
    public static CapfClient create(CapfClientOptions options, Clock clock) {
        ExecutorService w = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "capf-client-worker");
            t.setDaemon(true);
            return t;
        });
        return new CapfClient(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), w, options, clock,
                new SecureRandom(), true, ch -> { });
    }

    public CapfClientOptions options() {
        return options;
    }

    public CompletableFuture<CapfOutcome> run(CapfRequest request, CapfFlash flash, ConsoleLog log) {
        return run(request, flash, log, clock);
    }

    /** With the phone's own clock (an issued LSC must be valid at the phone's now). */
    public CompletableFuture<CapfOutcome> run(CapfRequest request, CapfFlash flash, ConsoleLog log, Clock phoneClock) {
        CompletableFuture<CapfOutcome> out = new CompletableFuture<>();
        attempt(request, flash, log, phoneClock, 1, new ArrayList<>(), out);
        return out;
    }

    private void attempt(CapfRequest request, CapfFlash flash, ConsoleLog log, Clock clock, int tryNumber, List<String> failures,
                         CompletableFuture<CapfOutcome> out) {
        once(request, flash, log, clock, tryNumber).whenComplete((a, err) -> {
            if (err != null) {
                a = CapfSession.Attempt.failed(TlsFailures.rootMessage(err));
            }
            if (a.outcome().isPresent()) {
                out.complete(a.outcome().get());
                return;
            }
            failures.add("try " + tryNumber + ": " + a.failure());
            if (tryNumber >= options.tries()) {
                log.error("SECD: EROR:capfClientSession: CAPF certificate operation failed after " + tryNumber + " tries");
                out.complete(new CapfOutcome.Unreachable(failures));
                return;
            }
            // A RETRY_LATER names its own delay (the session refused one longer than the phone waits).
            long delay = a.retryAfter().orElse(options.retryDelay()).toMillis();
            log.warn("SECD: capfClientSession: retrying the CAPF session in " + (delay / 1000.0 == Math.floor(delay / 1000.0)
                    ? (delay / 1000) + " s" : delay + " ms") + " (try " + (tryNumber + 1) + " of " + options.tries() + ")");
            try {
                group.next().schedule(() -> attempt(request, flash, log, clock, tryNumber + 1, failures, out), delay, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                out.complete(new CapfOutcome.Unreachable(failures));
            }
        });
    }

    /** Each connection to a CAPF server from now on starts through {@code limiter} (a fleet's cap per server address). */
    public CapfClient limitConnections(org.phoneemu.net.ServerLimiter limiter) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        return this;
    }

    private CompletableFuture<CapfSession.Attempt> once(CapfRequest request, CapfFlash flash, ConsoleLog log, Clock clock, int tryNumber) {
        return limiter.run(request.server(), () -> connectOnce(request, flash, log, clock, tryNumber));
    }

    private CompletableFuture<CapfSession.Attempt> connectOnce(CapfRequest request, CapfFlash flash, ConsoleLog log, Clock clock, int tryNumber) {
        CompletableFuture<CapfSession.Attempt> result = new CompletableFuture<>();
        String ip = request.server().getAddress().getHostAddress();
        int port = request.server().getPort();
        SslContext tls;
        try {
            // No client certificate in TLS: a phone proves itself inside the CAPF session (SIGNED_DATA).
            tls = ClientTls.context(Optional.empty());
        } catch (RuntimeException e) {
            result.complete(CapfSession.Attempt.failed("cannot set up TLS: " + e.getMessage()));
            return result;
        }
        Bootstrap b = TlsConnections.bootstrap(group, options.connectTimeout(), options.handshakeTimeout(), tls, ip, port,
                p -> { },
                ch -> {
                    ch.pipeline().addLast("decoder", new CapfMessageDecoder(options.maxMessageLength()));
                    ch.pipeline().addLast("encoder", CapfMessageEncoder.INSTANCE);
                    ch.pipeline().addLast("session", new CapfSession(result, request, flash, options, worker, random, clock, log, tryNumber));
                    tap.accept(ch);
                });
        log.notice("SECD: capfClientSession: connecting to the CAPF server IP: " + ip + ", Port: " + port
                + (port == CapfRequest.DEFAULT_PORT ? " (default)" : "") + ", try " + tryNumber + " of " + options.tries());
        ChannelFuture connect;
        try {
            connect = b.connect(request.server());
        } catch (RuntimeException e) {
            result.complete(CapfSession.Attempt.failed(String.valueOf(e.getMessage())));
            return result;
        }
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                String why = ConnectFailure.of(f.cause(), options.connectTimeout()).why();
                log.error("SECD: EROR:capfClientSession: Failed to connect to the CAPF server IP: " + ip + ", Port: " + port + "; " + why);
                result.complete(CapfSession.Attempt.failed(why));
            }
        });
        return result;
    }

    @Override
    public void close() {
        if (ownsResources) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            ((ExecutorService) worker).shutdown();
        }
    }
}
