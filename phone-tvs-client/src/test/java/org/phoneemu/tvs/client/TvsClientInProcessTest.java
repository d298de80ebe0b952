package org.phoneemu.tvs.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.core.tvs.TvsServerAnswer;
import org.phoneemu.tvs.frame.TvsCommand;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.testing.Fixtures;
import org.phoneemu.tvs.testing.Loopback;
import org.phoneemu.tvs.testing.TestTvsServer;

/**
 * The in-process TVS client (what a prediction uses) against the network one: with the same servers (one down, one
 * whose certificate the phone does not trust, one that knows the certificate), both give the same outcome, the same
 * per-server answers and the same console lines, because both run the same client code.
 */
class TvsClientInProcessTest {
    private static final String DEVICE = "CP-7970-SEP001122334455";
    private static EventLoopGroup group;
    private static KeyMaterial tvs;
    private static KeyMaterial rogue;
    private static KeyMaterial known;

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        tvs = Fixtures.pem("tvs.pem");
        rogue = Fixtures.pem("rogue.pem");
        known = Fixtures.pem("callmanager-regenerated.pem");
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void inProcessServersGiveTheNetworkClientsOutcomeAnswersAndConsoleLines() throws Exception {
        int down = Loopback.closedPort();
        try (TestTvsServer impostor = TestTvsServer.standard(rogue, Map.of(known.certificate(), List.of(0)));
             TestTvsServer good = TestTvsServer.standard(tvs, Map.of(known.certificate(), List.of(0)))) {
            List<TvsServer> servers = List.of(new TvsServer("127.0.0.1", down), new TvsServer("127.0.0.1", impostor.port()),
                    new TvsServer("127.0.0.1", good.port()));

            ConsoleLog overNetwork = Fixtures.log();
            TvsReply network = new TvsClient(group, TvsClientOptions.DEFAULTS, overNetwork)
                    .verify(servers, known.certificate(), DEVICE, Fixtures.itlTvsRecords(), Optional.empty(), overNetwork)
                    .get(2, TimeUnit.MINUTES).toReply();

            Map<Integer, KeyMaterial> listening = Map.of(impostor.port(), rogue, good.port(), tvs);
            ConsoleLog inProcess = Fixtures.log();
            TvsReply offline = TvsClient.inProcess(TvsClientOptions.DEFAULTS, new TvsPeers() {
                @Override
                public Optional<Inet4Address> resolve(String host) {
                    return Optional.of((Inet4Address) InetAddress.getLoopbackAddress());
                }

                @Override
                public Optional<Peer> at(Inet4Address address, int port) {
                    return Optional.ofNullable(listening.get(port)).map(identity -> new Peer() {
                        @Override
                        public X509Certificate certificate() {
                            return identity.certificate();
                        }

                        @Override
                        public TvsFrame answer(TvsFrame request) {
                            assertThat(request.command()).isEqualTo(TvsCommand.VERIFY_REQUEST);
                            return TvsFrame.verifyResponse(request.sessionId(), TvsFrame.STATUS_VALID, List.of(0), OptionalLong.of(86400));
                        }
                    });
                }
            }).verify(servers, known.certificate(), DEVICE, Fixtures.itlTvsRecords(), Optional.empty(), inProcess)
                    .get(2, TimeUnit.MINUTES).toReply();

            assertThat(offline.asked()).extracting(TvsServerAnswer::reply).containsExactly(
                    TvsServerAnswer.Reply.NO_ANSWER, TvsServerAnswer.Reply.NOT_TRUSTED, TvsServerAnswer.Reply.VALID);
            assertThat(offline.asked()).isEqualTo(network.asked());
            assertThat(offline.answer()).isEqualTo(network.answer());
            assertThat(texts(inProcess)).isEqualTo(texts(overNetwork));
        }
    }

    @Test
    void aHostThatDoesNotResolveIsNoAnswerWithTheClientsResolveLine() throws Exception {
        ConsoleLog log = Fixtures.log();
        TvsReply reply = TvsClient.inProcess(TvsClientOptions.DEFAULTS, new TvsPeers() {
            @Override
            public Optional<Inet4Address> resolve(String host) {
                return Optional.empty();
            }

            @Override
            public Optional<Peer> at(Inet4Address address, int port) {
                return Optional.empty();
            }
        }).verify(List.of(new TvsServer("cucm-nowhere")), known.certificate(), DEVICE, Fixtures.itlTvsRecords(), Optional.empty(), log)
                .get(2, TimeUnit.MINUTES).toReply();

        assertThat(reply.asked()).singleElement().satisfies(a -> {
            assertThat(a.host()).isEqualTo("cucm-nowhere");
            assertThat(a.reply()).isEqualTo(TvsServerAnswer.Reply.NO_ANSWER);
        });
        assertThat(log.contains("SECD: EROR:getTvsServerInfo: Cannot resolve the TVS server cucm-nowhere; no IPv4 address for cucm-nowhere"))
                .isTrue();
    }

    private static List<String> texts(ConsoleLog log) {
        return log.lines().stream().map(ConsoleLine::text).toList();
    }
}
