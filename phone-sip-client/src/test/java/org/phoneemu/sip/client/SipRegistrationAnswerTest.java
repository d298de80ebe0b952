package org.phoneemu.sip.client;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.sip.codec.SipHeaders;
import org.phoneemu.sip.codec.SipMessage;
import org.phoneemu.sip.codec.SipMessageDecoder;
import org.phoneemu.sip.codec.SipMessageEncoder;
import org.phoneemu.sip.codec.SipLimits;

/** Answers the phone cannot read well still end its registration: a loopback registrar that says odd things. */
class SipRegistrationAnswerTest {
    static final String LONG_WARNING = "x".repeat(5000);
    static EventLoopGroup group;
    static Channel registrar;
    static VirtualClock clock = new VirtualClock(Instant.parse("2026-12-06T10:00:00Z"));

    /** A registrar that grants the REGISTER 0 seconds in a 200 (RFC 3261 10.3: the binding is removed). */
    static Channel zeroGrant;

    @BeforeAll
    static void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        registrar = registrar(h -> new SipMessage.Response(403, "Forbidden", h.add("Warning", "399 pub \"" + LONG_WARNING + "\"").build(), null));
        zeroGrant = registrar(h -> new SipMessage.Response(200, "OK", h.add("Contact", "<sip:u@127.0.0.1>;expires=0").build(), null));
    }

    /** A loopback registrar answering every REGISTER with {@code answer} of the request's dialog headers. */
    static Channel registrar(java.util.function.Function<SipHeaders.Builder, SipMessage.Response> answer) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SipMessageDecoder(SipLimits.defaults()), SipMessageEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<SipMessage.Request>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, SipMessage.Request r) {
                                        SipHeaders.Builder h = SipHeaders.builder();
                                        for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
                                            r.headers().all(name).forEach(v -> h.add(name, v));
                                        }
                                        ctx.writeAndFlush(answer.apply(h));
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    @AfterAll
    static void stop() {
        for (Channel c : new Channel[] {registrar, zeroGrant}) {
            if (c != null) {
                c.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    static SipRegistrationClient.Request request(int targets, ConsoleLog log) {
        return request(registrar, targets, log);
    }

    static SipRegistrationClient.Request request(Channel registrar, int targets, ConsoleLog log) {
        int port = ((InetSocketAddress) registrar.localAddress()).getPort();
        List<CallManagerTarget> list = java.util.stream.IntStream.range(0, targets)
                .mapToObj(i -> new CallManagerTarget(i, "127.0.0.1", port, SipTransport.TCP)).toList();
        return new SipRegistrationClient.Request(list, new RegisterIdentity(new Mac("001122334455"), new PhoneModel("7970"), "9.4.2"),
                Optional.empty(), c -> false, log);
    }

    static SipRegistrationClient client() {
        return new SipRegistrationClient(group, SipClientOptions.DEFAULTS, clock);
    }

    @Test
    void aRefusalWithAFiveThousandCharacterWarningCompletesWithTheTextCut() throws Exception {
        RegistrationOutcome o = client().register(request(1, new ConsoleLog("phone", clock))).get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Refused.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.reason()).isEqualTo("Forbidden \"" + "x".repeat(RegisterAnswer.MAX_WARNING_TEXT) + "...\"");
        });
    }

    @Test
    void anAnswerWhoseHandlingThrowsStillCompletesTheOutcomeAsAFailedAttempt() throws Exception {
        ConsoleLog log = new ConsoleLog("phone", clock);
        log.subscribe(line -> {
            if (line.text().contains("refused the registration")) {
                throw new IllegalStateException("a console that breaks");
            }
        });
        RegistrationOutcome o = client().register(request(2, log)).get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                .extracting(RegistrationOutcome.Attempt::failure).containsExactly(
                        RegistrationOutcome.AttemptFailure.MALFORMED_RESPONSE, RegistrationOutcome.AttemptFailure.MALFORMED_RESPONSE));
    }

    @Test
    void theContactsExpiresParameterWinsOverTheExpiresHeader() {
        SipMessage.Response r = new SipMessage.Response(200, "OK", SipHeaders.builder().add("Contact", "<sip:u@127.0.0.9>;expires=120")
                .add("Expires", "3600").build(), null);
        assertThat(RegisterAnswer.expires(r)).hasValue(120);
        assertThat(RegisterAnswer.expires(new SipMessage.Response(200, "OK", SipHeaders.builder().add("Expires", "300").build(), null)))
                .hasValue(300);
    }

    @Test
    void warningTextsAreReadWithEscapesAndWithoutAClosingQuoteNotAtAll() {
        assertThat(RegisterAnswer.warningText("399 pub \"TLS authentication failure\"")).contains("TLS authentication failure");
        assertThat(RegisterAnswer.warningText("399 pub \"a \\\"quoted\\\" word\" trailing")).contains("a \\\"quoted\\\" word");
        assertThat(RegisterAnswer.warningText("399 pub \"never closed")).isEmpty();
        assertThat(RegisterAnswer.warningText("nonsense")).isEmpty();
    }

    @Test
    void aTwoHundredThatGrantsZeroSecondsIsNotARegistration() throws Exception {
        ConsoleLog log = new ConsoleLog("phone", clock);
        RegistrationOutcome o = client().register(request(zeroGrant, 1, log)).get(30, TimeUnit.SECONDS);
        assertThat(o).isInstanceOfSatisfying(RegistrationOutcome.Unreachable.class, u -> assertThat(u.attempts())
                .extracting(RegistrationOutcome.Attempt::failure).containsExactly(RegistrationOutcome.AttemptFailure.MALFORMED_RESPONSE));
        assertThat(log.contains("SIP: unusable answer from 127.0.0.1: 200 OK granted 0 s: no binding")).isTrue();
    }
}
