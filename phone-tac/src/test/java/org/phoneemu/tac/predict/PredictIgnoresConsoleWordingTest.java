package org.phoneemu.tac.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLine;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.tac.served.ClusterCopy;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tftp.boot.BootSession;
import org.phoneemu.tvs.https.HttpsResult;

/**
 * A change of console wording does not change a prediction: the same change is predicted twice from the same saved
 * state, once as is and once with every console line of the phones' network side (TFTP, TVS, HTTPS: among them the
 * "TVS cert not found in TL" line predict once read) written in other words, and the two predictions are equal but
 * for the digests and serials of the keys each run's regenerations make (registration included: the SIP client's lines
 * are reworded too).
 */
class PredictIgnoresConsoleWordingTest {
    static final Path TWO_NODE = Vectors.root().getParent().resolve("config/scenarios/clusters/two-node.yaml");
    static final Instant START = Instant.parse("2026-01-01T09:00:00Z");

    /** S7 then S13 then S5's lock, on one phone: TVS failover at a boot and a press, then no TVS the phone trusts. */
    static List<ChangeStep> change() {
        Duration hold = Duration.ofSeconds(301);
        return List.of(admin("cucmpub: set cert regen CallManager"), new ChangeStep.Wait(hold), admin("cucmpub: set cert regen TVS"),
                admin("cucmpub: utils service restart Cisco Tftp"), admin("cucmpub: utils service restart Cisco Trust Verification Service"),
                admin("reboot phones"), admin("press directories"), new ChangeStep.Wait(hold),
                admin("cucmpub: set cert regen CallManager"), admin("cucmsub: set cert regen CallManager"), new ChangeStep.Wait(hold),
                admin("cucmpub: set cert regen TVS"), admin("cucmsub: set cert regen TVS"),
                admin("cucmpub: utils service restart Cisco Tftp"), admin("cucmsub: utils service restart Cisco Tftp"),
                admin("cucmpub: utils service restart Cisco Trust Verification Service"),
                admin("cucmsub: utils service restart Cisco Trust Verification Service"), admin("press directories"));
    }

    private static ChangeStep admin(String text) {
        return ChangeStep.parse(text, Optional.empty());
    }

    @Test
    void rewordedConsoleLinesGiveTheSamePrediction(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        try (ClusterCopy c = ClusterCopy.open(TWO_NODE, tmp.resolve("none"), new VirtualClock(START))) {
            ClusterCopy.copyDirectory(c.stateDirectory(), state);
        }
        Predictor.Input in = new Predictor.Input(TWO_NODE, state, START, Optional.empty(), List.of(new Device("001122334455", "7970")),
                change(), RebootPolicy.EXPLICIT, false);

        Prediction asIs = Predictor.predict(in);
        Rewording rewording = new Rewording();
        Prediction reworded = Predictor.predict(in, network -> new RewordingNetwork(network, rewording));

        assertThat(rewording.lines.get()).as("console lines written in other words").isPositive();
        assertThat(rewording.tvsCertNotFound.get()).as("'TVS cert not found in TL' lines written in other words").isPositive();
        assertThat(withoutKeys(reworded)).isEqualTo(withoutKeys(asIs));
        // The change reaches what predict once read from console lines: TVS servers the phone does not trust, a lock.
        StepResult reboot = asIs.steps().get(5);
        assertThat(reboot.phones()).singleElement().satisfies(p -> {
            assertThat(p.verdict()).isEqualTo(Verdict.TRUSTED);
            assertThat(p.tvs()).extracting(TvsConsultation::answer).containsExactly("not trusted", "valid");
        });
        assertThat(asIs.after().phones()).singleElement().satisfies(p -> {
            assertThat(p.verdict()).isEqualTo(Verdict.LOCKED);
            assertThat(p.rule()).contains("refused");
        });
    }

    /** The prediction with what differs between two runs masked: each regeneration makes new keys, so new digests and serials. */
    private static String withoutKeys(Prediction p) {
        return p.toString().replaceAll("\\b[0-9a-f]{32}\\b", "<MD5>").replaceAll("\\b[0-9A-F]{2}(:[0-9A-F]{2}){7,}\\b", "<serial>");
    }

    /** Every line in other words: the text reversed, so no phrase a reader could look for survives. */
    static final class Rewording {
        final AtomicInteger lines = new AtomicInteger();
        final AtomicInteger tvsCertNotFound = new AtomicInteger();

        /** A console for the network side whose lines reach {@code phone}'s console reworded. */
        ConsoleLog into(ConsoleLog phone) {
            ConsoleLog original = new ConsoleLog(phone.owner(), Clock.systemUTC());
            original.subscribe(line -> phone.add(line.severity(), reword(line)));
            return original;
        }

        private String reword(ConsoleLine line) {
            lines.incrementAndGet();
            if (line.text().contains("TVS cert not found in TL")) {
                tvsCertNotFound.incrementAndGet();
            }
            return new StringBuilder(line.text()).reverse().toString();
        }
    }

    /** The offline network, its console lines reworded. */
    record RewordingNetwork(PhoneNetwork network, Rewording rewording) implements PhoneNetwork {
        @Override
        public BootSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log) {
            return network.tftpSession(mac, servers, rewording.into(log));
        }

        @Override
        public CompletableFuture<TvsReply> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                                     InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate, ConsoleLog log) {
            return network.tvsVerify(servers, certificate, deviceName, trustedLists, clientCertificate, rewording.into(log));
        }

        @Override
        public CompletableFuture<org.phoneemu.core.sip.RegistrationOutcome> register(org.phoneemu.phone.RegisterRequest request, ConsoleLog log) {
            return network.register(request, rewording.into(log));
        }

        @Override
        public CompletableFuture<HttpsResult> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log) {
            return network.httpsGet(url, decider, rewording.into(log));
        }
    }
}
