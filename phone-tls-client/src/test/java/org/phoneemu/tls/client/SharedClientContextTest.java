package org.phoneemu.tls.client;

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
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;

/**
 * {@link ClientTls#handler}: one client context for many phones, each connection presenting its own phone's certificate
 * to a loopback server that requires one, never another phone's (no session resumed across phones), and the server's
 * chain handed over for the phone's own check.
 */
class SharedClientContextTest {
    static EventLoopGroup group;
    static Channel server;
    static KeyMaterial serverKey;
    /** What the server saw, per accepted connection in order: the client's leaf, or the handshake's failure. */
    static final java.util.concurrent.BlockingQueue<Object> seen = new java.util.concurrent.LinkedBlockingQueue<>();

    @BeforeAll
    static void server() throws Exception {
        ManufacturingCa ca = ManufacturingCa.generate();
        serverKey = ca.issueWithNewKey("cucm.shared-context.example", 1024, Clock.systemUTC());
        // The server only records: any client chain is accepted at the TLS layer, one is required.
        SslContext tls = SslContextBuilder.forServer(serverKey.privateKey(), serverKey.certificate()).sslProvider(SslProvider.JDK)
                .clientAuth(ClientAuth.REQUIRE).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                SslHandler ssl = tls.newHandler(ch.alloc());
                ch.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof SslHandshakeCompletionEvent e) {
                            if (e.isSuccess()) {
                                try {
                                    seen.add(ssl.engine().getSession().getPeerCertificates()[0]);
                                } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                                    seen.add(none);
                                }
                            } else {
                                seen.add(e.cause());
                            }
                        }
                    }
                });
            }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterAll
    static void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Connects once; completes with the server's leaf as the client saw it. */
    private static X509Certificate connect(Optional<KeyMaterial> phone) throws Exception {
        CompletableFuture<X509Certificate> serverLeaf = new CompletableFuture<>();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Channel ch = TlsConnections.bootstrap(group, Duration.ofSeconds(5), Duration.ofSeconds(5),
                alloc -> ClientTls.handler(alloc, phone, TlsProfile.CURRENT), p -> { },
                c -> c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof SslHandshakeCompletionEvent e) {
                            if (e.isSuccess()) {
                                SslHandler h = (SslHandler) ctx.pipeline().get(TlsConnections.TLS);
                                serverLeaf.complete(ClientTls.peerCertificate(h.engine().getSession()).orElseThrow());
                            } else {
                                serverLeaf.completeExceptionally(e.cause());
                            }
                            ctx.close();
                        }
                    }
                })).connect("127.0.0.1", port).sync().channel();
        try {
            return serverLeaf.get(10, TimeUnit.SECONDS);
        } finally {
            ch.close().sync();
        }
    }

    @Test
    void everyConnectionPresentsItsOwnPhonesCertificateAndGetsTheServersChain() throws Exception {
        ManufacturingCa ca = ManufacturingCa.generate();
        List<KeyMaterial> phones = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            phones.add(ca.issueWithNewKey("CP-8851-SEP00112233445" + i, 1024, Clock.systemUTC()));
        }
        seen.clear();
        // Each phone twice, interleaved, to the same server address: a resumed session would show an earlier phone.
        for (int round = 0; round < 2; round++) {
            for (KeyMaterial phone : phones) {
                assertThat(connect(Optional.of(phone))).isEqualTo(serverKey.certificate());
                assertThat(seen.poll(10, TimeUnit.SECONDS)).as("what the server saw").isEqualTo(phone.certificate());
            }
        }
        // Concurrent handshakes of different phones through the one context.
        List<CompletableFuture<X509Certificate>> all = new ArrayList<>();
        for (KeyMaterial phone : phones) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return connect(Optional.of(phone));
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
        List<Object> concurrent = new ArrayList<>();
        for (int i = 0; i < phones.size(); i++) {
            concurrent.add(seen.poll(10, TimeUnit.SECONDS));
        }
        assertThat(concurrent).containsExactlyInAnyOrderElementsOf(phones.stream().map(KeyMaterial::certificate).toList());
        assertThat(ClientTls.identitiesHeld()).as("identities held after every handshake ended").isZero();
    }

    @Test
    void withoutACertificateNoneIsPresentedAndTheServerRefuses() throws Exception {
        seen.clear();
        try {
            connect(Optional.empty()); // in TLS 1.3 the client's side may complete before the server refuses
        } catch (Exception refused) {
            // the server's alert arrived first
        }
        assertThat(seen.poll(10, TimeUnit.SECONDS)).as("the server's handshake").isInstanceOf(Throwable.class);
        assertThat(ClientTls.identitiesHeld()).isZero();
    }
}
