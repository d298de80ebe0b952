package org.phoneemu.tvs.https;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.tvs.client.ServerFailure;
import org.phoneemu.tvs.client.TvsOutcome;
import org.phoneemu.tvs.client.TvsServer;
import org.phoneemu.tvs.https.HttpsDeciders.LocalDecision;
import org.phoneemu.tvs.testing.Fixtures;

class HttpsDecidersTest {
    private final ConsoleLog log = Fixtures.log();
    private final KeyMaterial tomcat = Fixtures.pem("tomcat.pem");
    private final InetSocketAddress server = new InetSocketAddress("127.0.0.1", 8443);

    private boolean decide(LocalDecision local, TvsOutcome tvsOutcome, AtomicInteger tvsCalls) {
        HttpsCertificateDecider d = HttpsDeciders.withTvsFallback((c, a) -> local, c -> {
            tvsCalls.incrementAndGet();
            return CompletableFuture.completedFuture(tvsOutcome);
        }, log);
        return d.allow(tomcat.certificate(), server).join();
    }

    @Test
    void localAnswersDoNotAskTvs() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(decide(LocalDecision.ALLOW, null, calls)).isTrue();
        assertThat(decide(LocalDecision.REFUSE, null, calls)).isFalse();
        assertThat(calls).hasValue(0);
    }

    @Test
    void unknownAsksTvsAndOnlyAValidVerdictAllows() {
        AtomicInteger calls = new AtomicInteger();
        TvsServer tvs = new TvsServer("10.0.0.1");
        assertThat(decide(LocalDecision.UNKNOWN, new TvsOutcome.Verdict(tvs, true, 0, List.of(7), OptionalLong.of(60)), calls)).isTrue();
        assertThat(log.contains("SECD: Authenticated the HTTPS conn via TVS")).isTrue();
        assertThat(decide(LocalDecision.UNKNOWN, new TvsOutcome.Verdict(tvs, false, 1, List.of(), OptionalLong.empty()), calls)).isFalse();
        assertThat(decide(LocalDecision.UNKNOWN, new TvsOutcome.AllFailed(List.of(
                new ServerFailure(tvs, ServerFailure.Reason.CONNECT_REFUSED, "connection refused"))), calls)).isFalse();
        assertThat(calls).hasValue(3);
        assertThat(log.contains("SECD: EROR:https_cert_vfy: HTTPS cert could not be authenticated via TVS, <127.0.0.1>: "
                + "no TVS server available: 10.0.0.1:2445: CONNECT_REFUSED (connection refused)")).isTrue();
    }
}
