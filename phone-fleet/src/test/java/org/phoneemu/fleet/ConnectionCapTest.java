package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.capf.client.CapfClient;
import org.phoneemu.capf.client.CapfClientOptions;
import org.phoneemu.capf.api.CapfFlash;
import org.phoneemu.capf.api.CapfRequest;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.net.ServerLimiter;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.RegisterRequest;

/**
 * {@code --max-in-flight-per-server} over TVS, SIP registration and CAPF: many phones' requests started together against
 * a loopback server that counts the connections open at once. With the fleet's {@link ServerSlots} the server never
 * sees more than the cap; without, it does (so the count can tell). The server holds each connection a moment, then
 * closes it unanswered (each request ends as a failure, which frees its slot as an answer would).
 */
class ConnectionCapTest {
    private static final int CAP = 3;
    private static final int REQUESTS = 10;

    private EventLoopGroup clients;
    private EventLoopGroup serverLoop;
    private CountingServer server;
    private KeyMaterial mic;

    @BeforeEach
    void start(@TempDir Path pool) throws Exception {
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()); // one thread: counts in accept order
        server = new CountingServer(serverLoop);
        mic = MicPool.open(pool, 1024, 1, Clock.systemUTC()).issue("CP-7970-SEP000000000001");
    }

    @AfterEach
    void stop() {
        server.channel.close();
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void tvsConnectionsToOneServerStayWithinTheCap() throws Exception {
        ServerSlots slots = new ServerSlots(CAP);
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(clients).limitConnections(slots)) {
            all(i -> tvs(network, i));
        }
        assertThat(server.accepted.get()).isEqualTo(REQUESTS);
        assertThat(server.peak.get()).isLessThanOrEqualTo(CAP);
        assertThat(slots.waited()).isPositive();
    }

    @Test
    void sipRegistrationsToOneServerStayWithinTheCap() throws Exception {
        ServerSlots slots = new ServerSlots(CAP);
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(clients).limitConnections(slots)) {
            all(i -> register(network, i));
        }
        assertThat(server.accepted.get()).isEqualTo(REQUESTS);
        assertThat(server.peak.get()).isLessThanOrEqualTo(CAP);
    }

    @Test
    void capfConnectionsToOneServerStayWithinTheCap() throws Exception {
        ServerSlots slots = new ServerSlots(CAP);
        CapfClient capf = capfClient().limitConnections(slots);
        all(i -> capf(capf, i));
        assertThat(server.accepted.get()).isEqualTo(REQUESTS);
        assertThat(server.peak.get()).isLessThanOrEqualTo(CAP);
    }

    /** The check can fail: without a limiter the same requests open more connections at once than the cap. */
    @Test
    void withoutTheCapTheServerSeesMoreAtOnce() throws Exception {
        server.closeAllAt = CAP + 1; // the server lets go as soon as it has seen more than the cap
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(clients).limitConnections(ServerLimiter.NONE)) {
            all(i -> tvs(network, i));
        }
        assertThat(server.peak.get()).isGreaterThan(CAP);
    }

    private void all(IntFunction<CompletableFuture<?>> request) throws Exception {
        List<CompletableFuture<?>> started = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            started.add(request.apply(i));
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(60, TimeUnit.SECONDS);
    }

    private CompletableFuture<?> tvs(NettyPhoneNetwork network, int i) {
        return network.tvsVerify(List.of(new TvsServerEntry(1, "127.0.0.1", server.port())), mic.certificate(), device(i),
                InstalledTrust.NONE, Optional.empty(), log());
    }

    private CompletableFuture<?> register(NettyPhoneNetwork network, int i) {
        return network.register(new RegisterRequest(List.of(new CallManagerTarget(1, "127.0.0.1", server.port(), SipTransport.TCP)),
                device(i).substring(3), "7970", Optional.empty(), c -> false), log());
    }

    private CapfClient capfClient() {
        return new CapfClient(clients, ForkJoinPool.commonPool(), CapfClientOptions.DEFAULTS.withRetries(1, Duration.ZERO),
                Clock.systemUTC(), new SecureRandom());
    }

    private CompletableFuture<?> capf(CapfClient capf, int i) {
        CapfRequest request = new CapfRequest(new InetSocketAddress("127.0.0.1", server.port()), device(i), CapfAuthMode.NULL_STRING,
                Optional.empty(), Optional.empty(), c -> true);
        CapfFlash flash = new CapfFlash() {
            @Override
            public CompletableFuture<Void> installLsc(KeyMaterial lsc) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> deleteLsc() {
                return CompletableFuture.completedFuture(null);
            }
        };
        return capf.run(request, flash, log(), Clock.systemUTC());
    }

    private static String device(int i) {
        return String.format("SEP0000000000%02X", i + 1);
    }

    private static ConsoleLog log() {
        return new ConsoleLog("test", Clock.systemUTC());
    }

    /**
     * Accepts TCP connections, counts those open at once (the peak), holds each 150 ms and closes it unanswered. The
     * count goes down before the server closes, so a client that reconnects once it sees the close is never counted
     * twice.
     */
    private static final class CountingServer {
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final Set<Channel> held = ConcurrentHashMap.newKeySet();
        volatile int closeAllAt = Integer.MAX_VALUE;
        final Channel channel;

        CountingServer(EventLoopGroup loop) throws InterruptedException {
            channel = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                final AtomicBoolean counted = new AtomicBoolean(true);

                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    accepted.incrementAndGet();
                                    int n = open.incrementAndGet();
                                    peak.accumulateAndGet(n, Math::max);
                                    held.add(ctx.channel());
                                    if (n >= closeAllAt) {
                                        held.forEach(c -> c.eventLoop().execute(() -> c.pipeline().fireUserEventTriggered("close")));
                                    } else {
                                        ctx.executor().schedule(() -> release(ctx), 150, TimeUnit.MILLISECONDS);
                                    }
                                }

                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    release(ctx);
                                }

                                private void release(ChannelHandlerContext ctx) {
                                    if (counted.getAndSet(false)) {
                                        open.decrementAndGet();
                                        held.remove(ctx.channel());
                                    }
                                    ctx.close();
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    if (counted.getAndSet(false)) { // the client closed first
                                        open.decrementAndGet();
                                        held.remove(ctx.channel());
                                    }
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    io.netty.util.ReferenceCountUtil.release(msg); // nothing is answered
                                }
                            });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }
    }
}
