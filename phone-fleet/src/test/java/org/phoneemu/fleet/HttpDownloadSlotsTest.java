package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.ProvisioningPath;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Provisioning;
import org.phoneemu.tftp.boot.BootDownloader;
import org.phoneemu.tftp.boot.BootSession;
import org.phoneemu.tftp.boot.Transport;

/**
 * {@code --max-in-flight-per-server} caps the HTTP 6970 downloads of phones that provision over HTTP, as it caps
 * their TFTP reads: many phones ask a loopback HTTP server at once (it holds each answer for a moment, so requests
 * overlap) and the server never sees more requests at once than the cap.
 */
class HttpDownloadSlotsTest {
    private static final String MAC = "001122000000";
    private MultiThreadIoEventLoopGroup group;
    private NettyPhoneNetwork network;
    private Channel server;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                                ctx.executor().schedule(() -> {
                                    inFlight.decrementAndGet();
                                    DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                            Unpooled.copiedBuffer("file", StandardCharsets.US_ASCII));
                                    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
                                    ctx.writeAndFlush(r);
                                }, 50, TimeUnit.MILLISECONDS);
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterEach
    void stop() {
        server.close().syncUninterruptibly();
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** The most requests the server saw at once while {@code phones} phones each download one file over HTTP. */
    private int peakAt(org.phoneemu.phone.PhoneNetwork net, int phones) throws Exception {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Provisioning http = new Provisioning(ProvisioningPath.HTTP, port, port);
        List<CompletableFuture<BootDownloader.Download>> all = new ArrayList<>();
        for (int i = 0; i < phones; i++) {
            String mac = MAC.substring(0, 10) + String.format("%02X", i);
            // TFTP (the fallback) on a port where nothing answers: every file must come over HTTP.
            BootSession s = net.bootSession(mac, List.of(new InetSocketAddress("127.0.0.1", 9)),
                    new ConsoleLog("SEP" + mac, new VirtualClock(Instant.EPOCH)), http);
            s.newBoot();
            all.add(s.fetch("SEP" + mac + ".cnf.xml.sgn", 550001));
        }
        for (CompletableFuture<BootDownloader.Download> f : all) {
            BootDownloader.Download d = f.get(60, TimeUnit.SECONDS);
            assertThat(d.transport()).isEqualTo(Transport.HTTP);
            assertThat(d.received()).isTrue();
        }
        return peak.get();
    }

    @Test
    void httpDownloadsWaitForASlotOfTheirServer() throws Exception {
        ServerSlots slots = new ServerSlots(2);
        assertThat(peakAt(new CappedPhoneNetwork(network, slots), 16)).isEqualTo(2);
        assertThat(slots.waited()).isEqualTo(14);
    }

    @Test
    void withoutTheCapTheSameDownloadsOverlapBeyondIt() throws Exception {
        assertThat(peakAt(network, 16)).isGreaterThan(2); // so the capped test can fail
    }
}
