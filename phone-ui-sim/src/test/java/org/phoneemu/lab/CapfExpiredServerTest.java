package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.client.CapfClient;
import org.phoneemu.capf.client.CapfClientOptions;
import org.phoneemu.capf.client.CapfEnrollment;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.CapfStatus;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.CapfSettings;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.phone.PhoneBuilder;

/**
 * CAPF against a server whose certificate is past its end date on the phone's clock (docs/CAPF.md; the TLS gate's
 * {@code Expired} verdict, docs/TRUST-RULES.md §12 rule 7): over loopback against the simulated cluster's CAPF, the
 * phone that enrolled once refuses the second enrolment before sending anything, keeps its previous LSC byte for byte,
 * and its status messages say "LSC: Operation Failed".
 */
class CapfExpiredServerTest {
    static final String MAC = "0011223344C5";
    static final String YAML = """
            cluster:
              name: capf-expired
              domain: lab.example
              keySizes: {default: 1024}
              ports: {tftp: 0, tvs: 0, https: 0}
            nodes:
              - {hostname: pub, address: 127.0.0.1}
            devices:
              - {mac: "%s"}
            """.formatted(MAC);

    @TempDir
    Path tmp;
    Cluster cluster;
    CapfClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anExpiredCapfServerIsRefusedAndThePreviousLscKept() throws Exception {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        cluster = Cluster.builder().spec(ClusterSpec.parse(YAML, null)).stateDirectory(tmp.resolve("cluster")).clock(clock)
                .freshState(true).mirrorFiles(false).build();
        cluster.start().get(60, TimeUnit.SECONDS);
        client = CapfClient.create(CapfClientOptions.DEFAULTS.withRetries(1, Duration.ZERO), clock);
        Path flash = tmp.resolve("SEP" + MAC);
        ConsoleLog log = new ConsoleLog("SEP" + MAC, clock);
        StatusMessages status = new StatusMessages(clock);
        TrustStore store = TrustStore.open(flash, FileOps.system(), clock, log, status);
        store.saveIdentity(new PhoneIdentity(PhoneBuilder.manufacturerCertificate("CP-7970-SEP" + MAC, 1024, clock), Optional.empty()));
        byte[] capf = cluster.capfCertificate().getEncoded();

        CapfOutcome first = enrol(store, status, log, capf);
        assertThat(first).as(CapfEnrollment.describe(first)).isInstanceOf(CapfOutcome.Installed.class);
        byte[] lsc = Files.readAllBytes(flash.resolve(TrustStore.LSC));

        // A day past the CAPF certificate's end date (the LSC's own end date does not matter here: the gate judges the server).
        clock.advance(Duration.between(clock.instant(), cluster.capfCertificate().getNotAfter().toInstant()).plusDays(1));
        CapfOutcome second = enrol(store, status, log, capf);
        assertThat(second).as(CapfEnrollment.describe(second)).isInstanceOfSatisfying(CapfOutcome.Refused.class,
                r -> assertThat(r.why()).isEqualTo(CapfOutcome.Why.UNTRUSTED_SERVER));
        assertThat(log.formatted()).anySatisfy(l -> assertThat(l).contains("SECD: EROR:capfClientSession: capf_srvr_cert_vfy: server ")
                .contains("is trusted but its certificate expired on " + cluster.capfCertificate().getNotAfter().toInstant())
                .contains("closing the connection"));
        assertThat(log.formatted().stream().filter(l -> l.contains("capfProcessAuthReq"))).as("sessions past the gate: the first only")
                .hasSize(1);
        assertThat(Files.readAllBytes(flash.resolve(TrustStore.LSC))).as("the previous LSC, byte for byte").isEqualTo(lsc);
        assertThat(CapfEnrollment.statusMessage(second)).isEqualTo(CapfStatus.LSC_FAILED);
        assertThat(String.join("\n", Files.readAllLines(flash.resolve("status-messages.txt"))))
                .contains(CapfStatus.LSC_INSTALLED).contains(CapfStatus.LSC_FAILED);
    }

    /** An install the administrator set on the cluster, the phone trusting exactly the cluster's CAPF certificate. */
    private CapfOutcome enrol(TrustStore store, StatusMessages status, ConsoleLog log, byte[] capf) {
        cluster.setCapfSettings(MAC, new CapfSettings(CapfOperation.INSTALL_UPGRADE, CapfAuthMode.NULL_STRING, Optional.empty(),
                LscKeySpec.rsa(1024)));
        return CapfEnrollment.run(client, store, status, log, cluster.capfAddress(cluster.publisher().id()), MAC,
                CapfAuthMode.NULL_STRING, Optional.empty(), cert -> {
                    try {
                        return Arrays.equals(cert.getEncoded(), capf);
                    } catch (java.security.cert.CertificateEncodingException e) {
                        return false;
                    }
                });
    }
}
