package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.DigestAlgorithm;
import org.phoneemu.core.sip.DigestAuthorization;
import org.phoneemu.core.sip.DigestChallenge;
import org.phoneemu.core.config.DigestCredentials;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.sip.codec.SipHeaders;
import org.phoneemu.sip.codec.SipLimits;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.sip.codec.SipMessageDecoder;
import org.phoneemu.sip.codec.SipMessageEncoder;

/** The digest step over one kept connection (docs/SIP.md §12): each REGISTER transaction is challenged and answered afresh. */
class DigestChallengeHandlerTest {
    static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** A registrar that challenges every REGISTER without an answer to its latest nonce (each nonce used once), else 200. */
    static Channel registrar() throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SipMessageDecoder(SipLimits.defaults()), SipMessageEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<SipMessage.Request>() {
                                    int issued;
                                    String outstanding;

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, SipMessage.Request r) {
                                        SipHeaders.Builder h = SipHeaders.builder();
                                        for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
                                            r.headers().all(name).forEach(v -> h.add(name, v));
                                        }
                                        Optional<DigestAuthorization> a = r.header("Authorization").flatMap(DigestAuthorization::parse);
                                        if (a.isPresent() && a.get().nonce().equals(outstanding) && a.get().matches("pw", "REGISTER")) {
                                            outstanding = null;
                                            ctx.writeAndFlush(new SipMessage.Response(200, "OK", h.add("Expires", "120").build(), null));
                                            return;
                                        }
                                        outstanding = "nonce-" + issued++;
                                        DigestChallenge c = new DigestChallenge("ccmsipline", outstanding, Optional.empty(), DigestAlgorithm.MD5,
                                                List.of(), false);
                                        ctx.writeAndFlush(new SipMessage.Response(401, "Unauthorized",
                                                h.add("WWW-Authenticate", c.headerValue()).build(), null));
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static SipMessage.Request register(long cseq) {
        SipHeaders h = SipHeaders.builder().add("Via", "SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK" + cseq)
                .add("From", "<sip:SEP001122334455@127.0.0.1>;tag=t").add("To", "<sip:SEP001122334455@127.0.0.1>")
                .add("Call-ID", "call-1").add("CSeq", cseq + " REGISTER").add("Content-Length", "0").build();
        return new SipMessage.Request("REGISTER", "sip:127.0.0.1", h, new byte[0]);
    }

    @Test
    void twoRegisterTransactionsOnOneConnectionAreEachChallengedOnceAndBothSucceed() throws Exception {
        Channel registrar = registrar();
        BlockingQueue<SipMessage.Response> answers = new LinkedBlockingQueue<>();
        int port = ((InetSocketAddress) registrar.localAddress()).getPort();
        Channel phone = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new SipMessageDecoder(SipLimits.defaults()), SipMessageEncoder.INSTANCE);
                ch.pipeline().addLast(DigestChallengeHandler.NAME, new DigestChallengeHandler(Optional.of(new DigestCredentials("jdoe", "pw")),
                        new ConsoleLog("phone", new VirtualClock(Instant.parse("2026-12-06T10:00:00Z"))),
                        new CallManagerTarget(0, "127.0.0.1", port, SipTransport.TCP)));
                ch.pipeline().addLast(new SimpleChannelInboundHandler<SipMessage.Response>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, SipMessage.Response r) {
                        answers.add(r);
                    }
                });
            }
        }).connect(registrar.localAddress()).sync().channel();
        try {
            phone.writeAndFlush(register(101)).sync();
            SipMessage.Response first = answers.poll(30, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("CSeq")).contains("102 REGISTER");
            assertThat(DigestChallengeHandler.stepOf(phone.pipeline()).answeredAs()).contains("jdoe");

            // The renewal on the same connection: a new transaction, challenged afresh, answered afresh.
            phone.writeAndFlush(register(103)).sync();
            SipMessage.Response second = answers.poll(30, TimeUnit.SECONDS);
            assertThat(second).isNotNull();
            assertThat(second.status()).as("the renewal's challenge is answered, not taken for refused credentials").isEqualTo(200);
            assertThat(second.header("CSeq")).contains("104 REGISTER");
            assertThat(DigestChallengeHandler.stepOf(phone.pipeline()).answeredAs()).contains("jdoe");
            assertThat(DigestChallengeHandler.stepOf(phone.pipeline()).stopped()).isEmpty();
        } finally {
            phone.close();
            registrar.close();
        }
    }
}
