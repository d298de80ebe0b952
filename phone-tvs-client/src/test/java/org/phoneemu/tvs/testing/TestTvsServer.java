package org.phoneemu.tvs.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.tvs.frame.TvsCommand;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.frame.TvsFrameDecoder;
import org.phoneemu.tvs.frame.TvsFrameEncoder;

/**
 * A minimal TVS responder for tests: TLS with a given identity, this module's codec, and a reply function. The
 * standard one answers VERIFY for known certificates with status 0, their roles and TTL 86400, and status 1
 * otherwise; QUERY by subject with the certificate or status 1. It records what it received, including the
 * number of application bytes (0 proves a client sent nothing) and the client certificate.
 */
public final class TestTvsServer implements AutoCloseable {
    public static final long TTL = 86400;

    /** A raw reply: bytes to write, and whether to close afterwards. {@code bytes == null}: stay silent. */
    public record Reply(byte[] bytes, boolean close) {
        public static Reply frame(TvsFrame f) {
            ByteBuf b = Unpooled.buffer();
            TvsFrameEncoder.encode(f, b);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return new Reply(out, false);
        }

        public static Reply hex(String hex) {
            return new Reply(HexFormat.of().parseHex(hex), false);
        }

        public static Reply silence() {
            return new Reply(null, false);
        }

        public Reply thenClose() {
            return new Reply(bytes, true);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final List<TvsFrame> requests = new CopyOnWriteArrayList<>();
    private final List<X509Certificate> clientCertificates = new CopyOnWriteArrayList<>();
    private final AtomicLong applicationBytes = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    private TestTvsServer(KeyMaterial identity, Function<TvsFrame, Reply> replies) {
        SslContext tls;
        try {
            tls = SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                    .sslProvider(SslProvider.JDK)
                    .clientAuth(ClientAuth.OPTIONAL)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE) // test peer: records, does not judge, the client cert
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                applicationBytes.addAndGet(((ByteBuf) msg).readableBytes());
                                ctx.fireChannelRead(msg);
                            }

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                    try {
                                        var chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
                                        clientCertificates.add((X509Certificate) chain[0]);
                                    } catch (Exception ignored) {
                                        // no client certificate
                                    }
                                }
                                ctx.fireUserEventTriggered(evt);
                            }
                        });
                        ch.pipeline().addLast(new TvsFrameDecoder());
                        ch.pipeline().addLast(TvsFrameEncoder.INSTANCE);
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<TvsFrame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, TvsFrame frame) {
                                requests.add(frame);
                                Reply r = replies.apply(frame);
                                if (r.bytes() == null) {
                                    return;
                                }
                                var f = ctx.writeAndFlush(Unpooled.wrappedBuffer(r.bytes()));
                                if (r.close()) {
                                    f.addListener(ChannelFutureListener.CLOSE);
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });
        this.channel = b.bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** Replies computed from each request. */
    public static TestTvsServer replying(KeyMaterial identity, Function<TvsFrame, Reply> replies) {
        return new TestTvsServer(identity, replies);
    }

    /** The standard responder: {@code known} maps a certificate's DER (hex) to its roles. */
    public static TestTvsServer standard(KeyMaterial identity, Map<X509Certificate, List<Integer>> known) {
        Map<String, List<Integer>> roles = new ConcurrentHashMap<>();
        Map<String, byte[]> bySubject = new ConcurrentHashMap<>();
        known.forEach((cert, r) -> {
            roles.put(hex(der(cert)), r);
            bySubject.put(cert.getSubjectX500Principal().getName(), der(cert));
        });
        return new TestTvsServer(identity, request -> Reply.frame(standardReply(request, roles, bySubject)));
    }

    private static TvsFrame standardReply(TvsFrame request, Map<String, List<Integer>> roles, Map<String, byte[]> bySubject) {
        if (request.command() == TvsCommand.VERIFY_REQUEST) {
            List<Integer> r = request.certificate().map(c -> roles.get(hex(c))).orElse(null);
            return r == null ? TvsFrame.verifyResponseInvalid(request.sessionId(), TvsFrame.STATUS_INVALID)
                    : TvsFrame.verifyResponse(request.sessionId(), TvsFrame.STATUS_VALID, r, OptionalLong.of(TTL));
        }
        if (request.command() == TvsCommand.QUERY_REQUEST) {
            byte[] found = request.subjectName().map(bySubject::get).orElse(null);
            return found == null ? TvsFrame.queryResponse(request.sessionId(), TvsFrame.STATUS_INVALID, Optional.empty())
                    : TvsFrame.queryResponse(request.sessionId(), TvsFrame.STATUS_VALID, Optional.of(found));
        }
        return TvsFrame.verifyResponseInvalid(request.sessionId(), TvsFrame.STATUS_INVALID);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public List<TvsFrame> requests() {
        return List.copyOf(requests);
    }

    public List<X509Certificate> clientCertificates() {
        return List.copyOf(clientCertificates);
    }

    /** Decrypted bytes received from clients (0 after a refused handshake proves nothing was sent). */
    public long applicationBytes() {
        return applicationBytes.get();
    }

    public long connections() {
        return connections.get();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    public static byte[] der(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
