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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.phoneemu.core.pki.KeyMaterial;

/**
 * A Netty HTTPS peer that counts the decrypted bytes it receives: 0 after a refusal proves the client sent not
 * one byte of the request. Answers every GET with {@code body}, or stays silent when {@code body} is null.
 */
public final class TestHttpsServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AtomicLong applicationBytes = new AtomicLong();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public TestHttpsServer(KeyMaterial identity, byte[] body) {
        SslContext tls;
        try {
            tls = SslContextBuilder.forServer(identity.privateKey(), identity.certificate()).sslProvider(SslProvider.JDK).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                applicationBytes.addAndGet(((ByteBuf) msg).readableBytes());
                                ctx.fireChannelRead(msg);
                            }
                        });
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                requests.add(req.method() + " " + req.uri() + " Host: " + req.headers().get(HttpHeaderNames.HOST));
                                if (body == null) {
                                    return;
                                }
                                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                        Unpooled.wrappedBuffer(body));
                                res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/xml");
                                res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public long applicationBytes() {
        return applicationBytes.get();
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
