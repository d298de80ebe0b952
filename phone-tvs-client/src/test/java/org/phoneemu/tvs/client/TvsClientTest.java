package org.phoneemu.tvs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.phoneemu.tvs.testing.Fixtures.assertInOrder;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.console.Severity;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.tvs.frame.TvsFrame;
import org.phoneemu.tvs.frame.TvsFrameException;
import org.phoneemu.tvs.testing.Fixtures;
import org.phoneemu.tvs.testing.Loopback;
import org.phoneemu.tvs.testing.TestTvsServer;
import org.phoneemu.tvs.testing.TestTvsServer.Reply;
import org.phoneemu.tls.client.ExchangeFailure;

@Timeout(value = 5, unit = TimeUnit.MINUTES) // a safety net against a hang, not a speed check: a busy CI machine is slow
class TvsClientTest {
    private static final String DEVICE = "CP-7970-SEP001122334455";
    private static EventLoopGroup group;
    private static KeyMaterial tvs;
    private static KeyMaterial subTvs;
    private static KeyMaterial rogue;
    private static KeyMaterial known;
    private static KeyMaterial unknown;
    private static Predicate<X509Certificate> trusted;

    private final List<AutoCloseable> peers = new ArrayList<>();
    private final ConsoleLog log = Fixtures.log();
    private final TvsClientOptions fast = TvsClientOptions.DEFAULTS.withReadTimeout(Duration.ofMillis(500));

    @BeforeAll
    static void setUp() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        tvs = Fixtures.pem("tvs.pem");
        subTvs = Fixtures.pem("sub-tvs.pem");
        rogue = Fixtures.pem("rogue.pem");
        known = Fixtures.pem("callmanager-regenerated.pem");
        unknown = Fixtures.pem("etoken.pem");
        trusted = Fixtures.itlTvsRecords();
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closePeers() throws Exception {
        for (AutoCloseable c : peers) {
            c.close();
        }
    }

    private TestTvsServer standard(KeyMaterial identity) {
        TestTvsServer s = TestTvsServer.standard(identity, Map.of(known.certificate(), List.of(0, 2)));
        peers.add(s);
        return s;
    }

    private TestTvsServer replying(KeyMaterial identity, java.util.function.Function<TvsFrame, Reply> replies) {
        TestTvsServer s = TestTvsServer.replying(identity, replies);
        peers.add(s);
        return s;
    }

    private static TvsServer at(TestTvsServer s) {
        return new TvsServer("127.0.0.1", s.port());
    }

    private TvsOutcome verify(TvsClientOptions options, X509Certificate cert, TvsServer... servers) throws Exception {
        TvsClient client = new TvsClient(group, options, log);
        return client.verify(List.of(servers), cert, DEVICE, trusted, Optional.empty()).get(2, TimeUnit.MINUTES);
    }

    @Test
    void theInteropTvsCertificatesAreTvsRecordsOfTheItl() {
        assertThat(trusted.test(tvs.certificate())).isTrue();
        assertThat(trusted.test(subTvs.certificate())).isTrue();
        assertThat(trusted.test(rogue.certificate())).isFalse();
    }

    @Test
    void knownCertificateIsValidWithRolesAndTtl() throws Exception {
        TestTvsServer server = standard(tvs);
        TvsOutcome outcome = verify(fast, known.certificate(), at(server));

        assertThat(outcome).isInstanceOfSatisfying(TvsOutcome.Verdict.class, v -> {
            assertThat(v.server()).isEqualTo(at(server));
            assertThat(v.valid()).isTrue();
            assertThat(v.status()).isZero();
            assertThat(v.roles()).containsExactly(0, 2);
            assertThat(v.ttlSeconds()).hasValue(86400);
        });
        assertThat(outcome.toAnswer()).isInstanceOf(TvsAnswer.Valid.class);
        TvsFrame request = server.requests().get(0);
        assertThat(request.deviceName()).contains(DEVICE);
        assertThat(request.certificate()).hasValueSatisfying(c -> assertThat(c).isEqualTo(TestTvsServer.der(known.certificate())));
        assertInOrder(log,
                "SECD: processTvsClntReq: No server sock exists, must be created",
                "SECD: secReq_initClient: clnt sock fd 8 bound to </tmp/secClnt_secd>",
                "SECD: getTvsServerInfo: Phone in IPv4 only mode",
                "SECD: getTvsServerInfo: Retrieving IPv4 address",
                "SECD: connectToTvsServer: Successfully started a TLS connection establishment to the TVS server: IP:127.0.0.1, port:"
                        + server.port() + "; Waiting for it to get connected.",
                "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done",
                "SECD: findByIssuerAndSerialAndRoleInTL: Searching TL from CTL file",
                "SECD: findByIssuerAndSerialAndRoleInTL: Searching TL from ITL file",
                "SECD: verifyCertWithHashFromTL: cert hash and hash in TL MATCH",
                "SECD: tvs_cert_vfy: TVS cert verified with hash from TL, <127.0.0.1>",
                "SECD: sendTvsClientReqToSrvr: Authenticate Certificate : request sent to TVS server - waiting for response",
                "SECD: processTvsSrvrResponse: Authentication Response received, status : 0");
        assertThat(log.lines()).noneMatch(l -> l.severity() == Severity.ERR);
        assertThat(log.contains("(default)")).isFalse();
    }

    @Test
    void defaultPortIsMarkedDefault() {
        assertThat(TvsExchange.describe(new TvsServer("127.0.0.1"), "127.0.0.1")).isEqualTo("IP:127.0.0.1, port:2445 (default)");
        assertThat(TvsExchange.describe(new TvsServer("127.0.0.1", 2446), "127.0.0.1")).isEqualTo("IP:127.0.0.1, port:2446");
    }

    @Test
    void unknownCertificateIsAFinalInvalidVerdict() throws Exception {
        TestTvsServer first = standard(tvs);
        TestTvsServer second = standard(subTvs);
        TvsOutcome outcome = verify(fast, unknown.certificate(), at(first), at(second));

        assertThat(outcome).isInstanceOfSatisfying(TvsOutcome.Verdict.class, v -> {
            assertThat(v.valid()).isFalse();
            assertThat(v.status()).isEqualTo(1);
            assertThat(v.roles()).isEmpty();
            assertThat(v.ttlSeconds()).isEmpty();
        });
        assertThat(second.connections()).as("an invalid verdict is not a failure: no failover").isZero();
        assertThat(outcome.toAnswer()).isEqualTo(new TvsAnswer.Invalid(at(first).toString(), 1));
        assertThat(log.contains("SECD: processTvsSrvrResponse: Authentication Response received, status : 1")).isTrue();
    }

    @Test
    void failoverPastADownServerAndAnUntrustedOneToAGoodOne() throws Exception {
        int down = Loopback.closedPort();
        TestTvsServer impostor = standard(rogue);
        TestTvsServer good = standard(tvs);
        TvsOutcome outcome = verify(fast, known.certificate(),
                new TvsServer("127.0.0.1", down), at(impostor), at(good));

        assertThat(outcome).isInstanceOfSatisfying(TvsOutcome.Verdict.class, v -> {
            assertThat(v.server()).isEqualTo(at(good));
            assertThat(v.valid()).isTrue();
        });
        assertThat(impostor.connections()).isEqualTo(1);
        assertThat(impostor.applicationBytes()).as("nothing sent to an untrusted TVS").isZero();
        assertThat(impostor.requests()).isEmpty();
        assertInOrder(log,
                "SECD: getTvsServerInfo: Phone in IPv4 only mode",
                "connectToTvsServer: Successfully started a TLS connection establishment to the TVS server: IP:127.0.0.1, port:" + down,
                "SECD: EROR:connectToTvsServer: Failed to connect to the TVS server: IP:127.0.0.1, port:" + down + "; connection refused",
                "SECD: EROR:processTvsClntReq: TVS server 127.0.0.1:" + down
                        + " failed (CONNECT_REFUSED: connection refused); trying the next TVS server 127.0.0.1:" + impostor.port(),
                "port:" + impostor.port() + "; Waiting for it to get connected.",
                "SECD: srvr_cert_vfy: Server Certificate Validation needs to be done",
                "SECD: EROR:tvs_cert_vfy: TVS cert not found in TL, closing the connection, <127.0.0.1>",
                "TVS server 127.0.0.1:" + impostor.port() + " failed (UNTRUSTED_TVS_CERTIFICATE",
                "port:" + good.port() + "; Waiting for it to get connected.",
                "SECD: tvs_cert_vfy: TVS cert verified with hash from TL, <127.0.0.1>",
                "SECD: sendTvsClientReqToSrvr: Authenticate Certificate : request sent to TVS server - waiting for response",
                "SECD: processTvsSrvrResponse: Authentication Response received, status : 0",
                "Certificate is valid per the TVS server IP:127.0.0.1, port:" + good.port());
        assertThat(log.contains("trying the next TVS server 127.0.0.1:" + good.port())).isTrue();
    }

    @Test
    void aTvsServerWhoseCertificateNameIsNotUtf8IsRefusedLikeAnyUntrustedOne() throws Exception {
        // Same serial as the trusted TVS record, so the name comparison is reached.
        TestTvsServer odd = standard(org.phoneemu.core.testing.TestPki.invalidUtf8Name(1024, tvs.certificate().getSerialNumber()));
        TvsOutcome outcome = verify(fast, known.certificate(), at(odd));

        assertThat(outcome).isInstanceOfSatisfying(TvsOutcome.AllFailed.class, f ->
                assertThat(f.failures()).extracting(ServerFailure::reason).containsExactly(ExchangeFailure.UNTRUSTED_TVS_CERTIFICATE));
        assertThat(odd.applicationBytes()).as("nothing sent to an untrusted TVS").isZero();
        assertThat(log.contains("SECD: EROR:tvs_cert_vfy: TVS cert not found in TL, closing the connection, <127.0.0.1>")).isTrue();
    }

    @Test
    void allServersFailingGivesEachFailureInOrder() throws Exception {
        int down = Loopback.closedPort();
        TestTvsServer impostor = standard(rogue);
        TvsOutcome outcome = verify(fast, known.certificate(), new TvsServer("127.0.0.1", down), at(impostor));

        assertThat(outcome).isInstanceOfSatisfying(TvsOutcome.AllFailed.class, f -> {
            assertThat(f.failures()).extracting(ServerFailure::reason)
                    .containsExactly(ExchangeFailure.CONNECT_REFUSED, ExchangeFailure.UNTRUSTED_TVS_CERTIFICATE);
            assertThat(f.failures()).extracting(ServerFailure::server)
                    .containsExactly(new TvsServer("127.0.0.1", down), at(impostor));
        });
        assertThat(outcome.toAnswer()).isInstanceOf(TvsAnswer.Unreachable.class);
        assertThat(log.contains("no more TVS servers")).isTrue();
        assertThat(log.contains("SECD: EROR:processTvsClntReq: No TVS server could be used, 2 tried")).isTrue();
    }

    @Test
    void noServersIsAnImmediateAllFailed() throws Exception {
        TvsOutcome outcome = verify(fast, known.certificate());
        assertThat(outcome).isEqualTo(new TvsOutcome.AllFailed(List.of()));
        assertThat(log.contains("SECD: EROR:getTvsServerInfo: No TVS server configured")).isTrue();
    }

    /**
     * A bad first server, then a good one: the verdict comes from the good one; returns the bad one's failure
     * reason as the console log states it.
     */
    private ExchangeFailure failsOver(java.util.function.Function<TvsFrame, Reply> badReplies) throws Exception {
        TestTvsServer bad = replying(tvs, badReplies);
        TestTvsServer good = standard(subTvs);
        TvsOutcome outcome = verify(fast, known.certificate(), at(bad), at(good));
        assertThat(outcome).isInstanceOfSatisfying(TvsOutcome.Verdict.class, v -> assertThat(v.server()).isEqualTo(at(good)));
        assertThat(bad.requests()).hasSize(1);
        String line = log.lines().stream().map(l -> l.text())
                .filter(t -> t.contains("trying the next TVS server 127.0.0.1:" + good.port())).findFirst().orElseThrow();
        assertThat(line).startsWith("SECD: EROR:processTvsClntReq: TVS server 127.0.0.1:" + bad.port() + " failed (");
        for (ExchangeFailure r : ExchangeFailure.values()) {
            if (line.contains("failed (" + r + ":")) {
                return r;
            }
        }
        throw new AssertionError(line);
    }

    private ServerFailure failureAgainst(java.util.function.Function<TvsFrame, Reply> badReplies) throws Exception {
        TestTvsServer bad = replying(tvs, badReplies);
        TvsOutcome outcome = verify(fast, known.certificate(), at(bad));
        assertThat(outcome).isInstanceOf(TvsOutcome.AllFailed.class);
        return ((TvsOutcome.AllFailed) outcome).failures().get(0);
    }

    @Test
    void wrongProtocolIdInTheResponseFailsOver() throws Exception {
        assertThat(failsOver(r -> Reply.hex("58010200" + hex8(r.sessionId()) + "0004" + "070001" + "00")))
                .isEqualTo(ExchangeFailure.MALFORMED_RESPONSE);
        ServerFailure f = failureAgainst(r -> Reply.hex("58010200" + hex8(r.sessionId()) + "0004" + "07000100"));
        assertThat(f.reason()).isEqualTo(ExchangeFailure.MALFORMED_RESPONSE);
        assertThat(f.frameError()).contains(TvsFrameException.Reason.BAD_PROTOCOL_ID);
    }

    @Test
    void wrongSessionIdFailsOver() throws Exception {
        assertThat(failsOver(r -> Reply.frame(TvsFrame.verifyResponseInvalid((r.sessionId() + 1) & 0xffffffffL, 0))))
                .isEqualTo(ExchangeFailure.WRONG_SESSION_ID);
        assertThat(log.contains("SECD: EROR:processTvsSrvrResponse: Session id mismatch from the TVS server")).isTrue();
    }

    @Test
    void truncatedFrameFailsOver() throws Exception {
        // Header promises 4 bytes of elements, 2 arrive, then the server hangs up.
        assertThat(failsOver(r -> Reply.hex("57010200" + hex8(r.sessionId()) + "0004" + "0700").thenClose()))
                .isEqualTo(ExchangeFailure.MALFORMED_RESPONSE);
        ServerFailure f = failureAgainst(r -> Reply.hex("57010200" + hex8(r.sessionId()) + "0004" + "0700").thenClose());
        assertThat(f.frameError()).contains(TvsFrameException.Reason.TRUNCATED_FRAME);
    }

    @Test
    void truncatedElementFailsOver() throws Exception {
        ServerFailure f = failureAgainst(r -> Reply.hex("57010200" + hex8(r.sessionId()) + "0004" + "07000500"));
        assertThat(f.reason()).isEqualTo(ExchangeFailure.MALFORMED_RESPONSE);
        assertThat(f.frameError()).contains(TvsFrameException.Reason.TRUNCATED_ELEMENT);
    }

    @Test
    void oversizedFrameFailsOverWithoutWaitingForItsBody() throws Exception {
        assertThat(failsOver(r -> Reply.hex("57010200" + hex8(r.sessionId()) + "ffff" + "070001")))
                .isEqualTo(ExchangeFailure.MALFORMED_RESPONSE);
        ServerFailure f = failureAgainst(r -> Reply.hex("57010200" + hex8(r.sessionId()) + "ffff"));
        assertThat(f.frameError()).contains(TvsFrameException.Reason.OVERSIZED_FRAME);
    }

    @Test
    void wrongCommandAndMissingStatusFailOver() throws Exception {
        assertThat(failsOver(r -> Reply.frame(TvsFrame.queryResponse(r.sessionId(), 0, Optional.empty()))))
                .isEqualTo(ExchangeFailure.WRONG_COMMAND);
        ServerFailure f = failureAgainst(r -> Reply.frame(new TvsFrame(org.phoneemu.tvs.frame.TvsCommand.VERIFY_RESPONSE,
                r.sessionId(), List.of(TvsFrame.ttlElement(60)))));
        assertThat(f.reason()).isEqualTo(ExchangeFailure.MISSING_STATUS);
    }

    @Test
    void silentServerTimesOutAndFailsOver() throws Exception {
        assertThat(failsOver(r -> Reply.silence())).isEqualTo(ExchangeFailure.READ_TIMEOUT);
        assertThat(log.contains("SECD: EROR:processTvsSrvrResponse: No response from the TVS server within 500 ms")).isTrue();
    }

    @Test
    void serverClosingWithoutAnswerFailsOver() throws Exception {
        assertThat(failsOver(r -> new Reply(new byte[0], true))).isEqualTo(ExchangeFailure.CONNECTION_CLOSED);
    }

    @Test
    void nonTlsPeerIsATlsFailure() throws Exception {
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = plain.accept()) {
                    s.getOutputStream().write(("HTTP/1.0 400 Bad Request\r\n\r\n" + "x".repeat(2000)).getBytes());
                } catch (java.io.IOException ignored) {
                    // closed by the test
                }
            });
            t.start();
            TvsOutcome outcome = verify(fast, known.certificate(), new TvsServer("127.0.0.1", plain.getLocalPort()));
            ServerFailure failure = ((TvsOutcome.AllFailed) outcome).failures().get(0);
            assertThat(failure.reason()).isEqualTo(ExchangeFailure.TLS_FAILED);
            // One short line, not a hex dump of what the peer sent.
            assertThat(failure.message()).isEqualTo("the peer does not speak TLS (its first bytes are not a TLS record)");
            assertThat(log.lines()).allSatisfy(l -> assertThat(l.text()).hasSizeLessThan(300));
            t.join(5000);
        }
    }

    @Test
    void unresolvableNameFailsOver() throws Exception {
        TestTvsServer good = standard(tvs);
        TvsOutcome outcome = verify(fast, known.certificate(), new TvsServer("tvs.invalid", 2445), at(good));
        assertThat(outcome).isInstanceOf(TvsOutcome.Verdict.class);
        assertThat(log.contains("SECD: EROR:getTvsServerInfo: Cannot resolve the TVS server tvs.invalid")).isTrue();
    }

    @Test
    void clientCertificateIsPresentedAndSessionIdsAreFresh() throws Exception {
        TestTvsServer server = standard(tvs);
        KeyMaterial lsc = Fixtures.pem("phone-lsc.pem");
        TvsClient client = new TvsClient(group, fast, log);
        for (int i = 0; i < 2; i++) {
            TvsOutcome o = client.verify(List.of(at(server)), known.certificate(), DEVICE, trusted, Optional.of(lsc))
                    .get(2, TimeUnit.MINUTES);
            assertThat(o).isInstanceOf(TvsOutcome.Verdict.class);
        }
        assertThat(server.clientCertificates()).containsExactly(lsc.certificate(), lsc.certificate());
        assertThat(server.requests().get(0).sessionId()).isNotEqualTo(server.requests().get(1).sessionId());
    }

    @Test
    void queryReturnsTheCertificateOrInvalid() throws Exception {
        TestTvsServer server = standard(tvs);
        TvsClient client = new TvsClient(group, fast, log);
        String subject = known.certificate().getSubjectX500Principal().getName();
        TvsQueryOutcome found = client.query(List.of(at(server)), TvsQuery.bySubject(subject), DEVICE, trusted, Optional.empty())
                .get(2, TimeUnit.MINUTES);
        assertThat(found).isInstanceOfSatisfying(TvsQueryOutcome.Answered.class, a -> {
            assertThat(a.status()).isZero();
            assertThat(a.certificate()).contains(known.certificate());
        });
        TvsQueryOutcome missing = client.query(List.of(at(server)),
                TvsQuery.byIssuerAndSerial("CN=nobody", BigInteger.TEN), DEVICE, trusted, Optional.empty()).get(2, TimeUnit.MINUTES);
        assertThat(missing).isInstanceOfSatisfying(TvsQueryOutcome.Answered.class, a -> {
            assertThat(a.status()).isEqualTo(1);
            assertThat(a.found()).isFalse();
        });
        TvsFrame q = server.requests().get(1);
        assertThat(q.issuerName()).contains("CN=nobody");
        assertThat(q.serialNumber()).hasValueSatisfying(s -> assertThat(s).containsExactly(10));
        assertThat(log.contains("SECD: sendTvsClientReqToSrvr: Query Certificate : request sent to TVS server - waiting for response")).isTrue();
    }

    @Test
    void queryWithAnUnreadableCertificateFailsOver() throws Exception {
        TestTvsServer bad = replying(tvs, r -> Reply.frame(TvsFrame.queryResponse(r.sessionId(), 0, Optional.of(new byte[] {0x30, 0x01, 0x00}))));
        TestTvsServer good = standard(subTvs);
        TvsClient client = new TvsClient(group, fast, log);
        TvsQueryOutcome o = client.query(List.of(at(bad), at(good)),
                TvsQuery.bySubject(known.certificate().getSubjectX500Principal().getName()), DEVICE, trusted, Optional.empty())
                .get(2, TimeUnit.MINUTES);
        assertThat(o).isInstanceOfSatisfying(TvsQueryOutcome.Answered.class, a -> {
            assertThat(a.server()).isEqualTo(at(good));
            assertThat(a.found()).isTrue();
        });
    }

    @Test
    void serverListComesFromTheConfigInPriorityOrder() {
        var entries = List.of(new org.phoneemu.core.config.TvsServerEntry(1, "10.0.0.2", 2445),
                new org.phoneemu.core.config.TvsServerEntry(0, "10.0.0.1", 2446));
        assertThat(TvsServer.fromConfig(entries)).containsExactly(new TvsServer("10.0.0.1", 2446), new TvsServer("10.0.0.2"));
        assertThat(TvsServer.parse("10.0.0.9")).isEqualTo(new TvsServer("10.0.0.9", 2445));
        assertThat(TvsServer.parse("10.0.0.9:3000")).isEqualTo(new TvsServer("10.0.0.9", 3000));
    }

    private static String hex8(long v) {
        return String.format("%08x", v);
    }
}
