package org.phoneemu.tftp.boot;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.phoneemu.tftp.client.TftpResult;

/**
 * The phone's plain HTTP GET of a provisioning file (port 6970) on Netty: one connection per file, closed after the
 * answer, the whole read within its deadline, the body bounded. The HTTPS reads (6971) are the TLS client's.
 * Nothing blocks; the future completes on the channel's event loop.
 */
public final class HttpProvisioningClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final EventLoopGroup group;
    private final Consumer<Channel> tap;

    /** {@code tap} sees each connection with its pipeline complete (a packet capture). */
    public HttpProvisioningClient(EventLoopGroup group, Consumer<Channel> tap) {
        this.group = Objects.requireNonNull(group, "group");
        this.tap = Objects.requireNonNull(tap, "tap");
    }

    public CompletableFuture<HttpRead> get(InetSocketAddress server, String name, long maxSize, Duration deadline) {
        CompletableFuture<HttpRead> result = new CompletableFuture<>();
        int limit = (int) Math.min(maxSize, Integer.MAX_VALUE - 1L);
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(CONNECT_TIMEOUT.toMillis(), deadline.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(limit));
                        ch.pipeline().addLast("read", new Read(result, maxSize));
                        tap.accept(ch);
                    }
                });
        ChannelFuture connect = b.connect(server);
        Channel ch = connect.channel();
        // The deadline runs from the connect to the last byte, however the server paces the body.
        var timer = ch.eventLoop().schedule(() -> {
            result.complete(new HttpRead.Failed("not received within " + deadline.toSeconds() + " s"));
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> {
            timer.cancel(false);
            ch.close();
        });
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.complete(f.cause() instanceof java.net.ConnectException ? HttpRead.Failed.REFUSED
                        : new HttpRead.Failed(String.valueOf(f.cause().getMessage())));
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/" + name);
            request.headers().set(HttpHeaderNames.HOST, server.getHostString() + ":" + server.getPort());
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            f.channel().writeAndFlush(request).addListener((ChannelFuture w) -> {
                if (!w.isSuccess()) {
                    result.complete(new HttpRead.Failed("could not send the request: " + w.cause().getMessage()));
                }
            });
        });
        return result;
    }

    /** The response, mapped to the values a TFTP read gives. */
    private static final class Read extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<HttpRead> result;
        private final long maxSize;

        Read(CompletableFuture<HttpRead> result, long maxSize) {
            this.result = result;
            this.maxSize = maxSize;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (!response.decoderResult().isSuccess()) {
                result.complete(new HttpRead.Failed("bad response: " + response.decoderResult().cause().getMessage()));
                return;
            }
            int status = response.status().code();
            result.complete(switch (status) {
                case 200 -> response.content().readableBytes() > maxSize
                        ? new HttpRead.Answered(new TftpResult.TooLarge(maxSize))
                        : new HttpRead.Answered(new TftpResult.Received(ByteBufUtil.getBytes(response.content())));
                case 404 -> new HttpRead.Answered(new TftpResult.FileNotFound());
                case 403 -> new HttpRead.Answered(new TftpResult.AccessViolation());
                default -> new HttpRead.Failed("HTTP status " + status);
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException) {
                result.complete(new HttpRead.Answered(new TftpResult.TooLarge(maxSize)));
            } else {
                result.complete(new HttpRead.Failed(String.valueOf(cause.getMessage())));
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(new HttpRead.Failed("connection closed before a response"));
            ctx.fireChannelInactive();
        }
    }
}
