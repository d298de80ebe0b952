package org.phoneemu.tvs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.tvs.testing.Fixtures;
import org.phoneemu.tvs.testing.TestTvsServer;
import org.phoneemu.tls.client.ExchangeFailure;

/** The API behind a {@code tvs-verify} command. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a safety net against a hang, not a speed check: a busy CI machine is slow
class TvsVerifyRequestTest {
    private final ConsoleLog log = Fixtures.log();

    @Test
    void verifiesACertificateTrustingTheServerThroughTheItl() throws Exception {
        var known = Fixtures.pem("callmanager-regenerated.pem");
        try (TestTvsServer server = TestTvsServer.standard(Fixtures.pem("tvs.pem"), Map.of(known.certificate(), List.of(0, 2)))) {
            TvsVerifyRequest request = TvsVerifyRequest.builder()
                    .server("127.0.0.1:" + server.port())
                    .trustList(Vectors.interop("itl/ITLFile.tlv"))
                    .certificate(Vectors.interop("certs/callmanager-regenerated.pem"))
                    .build();
            assertThat(request.deviceName()).isEqualTo("CP-7970-SEP001122334455");
            assertThat(request.trustSource()).isEqualTo("TVS records of ITLFile.tlv (2)");
            TvsOutcome outcome = request.execute(log);
            assertThat(TvsVerifyRequest.describe(outcome)).containsExactly(
                    "TVS server: 127.0.0.1:" + server.port(),
                    "Status: 0 (valid)",
                    "Roles: System Administrator Security Token (0), CCM+TFTP (2)",
                    "TTL: 86400 s");
            assertThat(server.requests().get(0).deviceName()).contains("CP-7970-SEP001122334455");
        }
    }

    @Test
    void pinnedCertificateMustBeTheOneThePeerPresents() throws Exception {
        try (TestTvsServer server = TestTvsServer.standard(Fixtures.pem("tvs.pem"), Map.of())) {
            TvsVerifyRequest.Builder b = TvsVerifyRequest.builder()
                    .server("127.0.0.1:" + server.port())
                    .deviceName("CP-8865-SEPAABBCCDDEEFF")
                    .certificate(Vectors.interop("certs/rogue.pem"))
                    .options(TvsClientOptions.DEFAULTS.withReadTimeout(Duration.ofSeconds(2)));
            TvsOutcome wrongPin = b.pinnedTvsCertificate(Vectors.interop("certs/sub-tvs.pem")).build().execute(log);
            assertThat(wrongPin).isInstanceOfSatisfying(TvsOutcome.AllFailed.class, f -> assertThat(f.failures())
                    .extracting(ServerFailure::reason).containsExactly(ExchangeFailure.UNTRUSTED_TVS_CERTIFICATE));
            assertThat(TvsVerifyRequest.describe(wrongPin)).first().isEqualTo("No verdict from any TVS server");
            assertThat(server.applicationBytes()).isZero();

            TvsOutcome rightPin = b.pinnedTvsCertificate(Vectors.interop("certs/tvs.pem")).build().execute(log);
            assertThat(TvsVerifyRequest.describe(rightPin)).containsExactly("TVS server: 127.0.0.1:" + server.port(),
                    "Status: 1 (invalid)", "Roles: none",
                    "TTL: none (a phone would cache a valid verdict for its default 86400 s)");
        }
    }

    @Test
    void badInputsAreUserErrors() {
        var base = TvsVerifyRequest.builder().server("127.0.0.1").certificate(Vectors.interop("certs/rogue.pem"));
        assertThatThrownBy(base::build).isInstanceOf(TvsVerifyException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> TvsVerifyRequest.builder().server("127.0.0.1").certificate(Vectors.interop("certs/rogue.pem"))
                .trustList(Vectors.interop("ctl/CTLFile.tlv")).build())
                .isInstanceOf(TvsVerifyException.class).hasMessageContaining("holds no TVS record");
        assertThatThrownBy(() -> TvsVerifyRequest.builder().server("127.0.0.1").certificate(Vectors.interop("certs/rogue.pem"))
                .trustList(Vectors.interop("certs/rogue.pem")).build())
                .isInstanceOf(TvsVerifyException.class).hasMessageContaining("is not a trust list");
        assertThatThrownBy(() -> TvsVerifyRequest.builder().server("127.0.0.1").deviceName("CP-7970\u00e9")
                .certificate(Vectors.interop("certs/rogue.pem")).pinnedTvsCertificate(Vectors.interop("certs/tvs.pem")).build())
                .isInstanceOf(TvsVerifyException.class).hasMessageContaining("device name");
        assertThatThrownBy(() -> TvsVerifyRequest.builder().trustList(Vectors.interop("itl/ITLFile.tlv")).build())
                .isInstanceOf(TvsVerifyException.class).hasMessageContaining("no TVS server");
        assertThat(TvsVerifyRequest.describe(new TvsOutcome.AllFailed(List.of()))).containsExactly("No verdict: no TVS server");
        assertThat(new TvsOutcome.Verdict(new TvsServer("h"), true, 0, List.of(), OptionalLong.empty()).toAnswer())
                .isEqualTo(new org.phoneemu.core.tvs.TvsAnswer.Valid("h:2445", List.of(), OptionalLong.empty()));
    }
}
