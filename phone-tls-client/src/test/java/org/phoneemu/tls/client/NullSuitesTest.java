package org.phoneemu.tls.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.SipTlsOffer;

/**
 * NULL suites: allowed in the JVM, offered only where named (docs/SIP.md §5). The test JVMs allow them through the
 * security properties file of surefire's argLine; a child JVM without it shows what {@code main} changes.
 */
class NullSuitesTest {
    @Test
    void removingNullKeepsTheRestOfTheJdksList() {
        assertThat(NullSuites.withoutNull("SSLv3, TLSv1, RC4, DH keySize < 1024, anon, NULL, ECDH"))
                .isEqualTo("SSLv3, TLSv1, RC4, DH keySize < 1024, anon, ECDH");
        assertThat(NullSuites.withoutNull("NULL")).isEmpty();
        assertThat(NullSuites.withoutNull("RC4, NULLX")).isEqualTo("RC4, NULLX");
    }

    @Test
    void onlyAnAuthenticatedPhonesSipOfferNamesNullSha() {
        assertThat(TlsProfile.forSip(DeviceSecurityMode.AUTHENTICATED)).isEqualTo(TlsProfile.SIP_AUTHENTICATED);
        assertThat(TlsProfile.SIP_AUTHENTICATED.protocols()).containsExactly("TLSv1.2");
        assertThat(TlsProfile.SIP_AUTHENTICATED.ciphers()).containsExactly("TLS_RSA_WITH_NULL_SHA");
        assertThat(TlsProfile.SIP_AUTHENTICATED.integrityOnly()).isTrue();
        assertThat(TlsProfile.forSip(DeviceSecurityMode.ENCRYPTED)).isEqualTo(TlsProfile.CURRENT);
        assertThat(TlsProfile.CURRENT.integrityOnly()).isFalse();
    }

    @Test
    void withNullAllowedNoDefaultListOffersIt() throws Exception {
        assertThat(NullSuites.negotiable()).as("surefire's argLine allows NULL").isTrue();
        SSLContext jdk = SSLContext.getDefault();
        assertThat(jdk.getDefaultSSLParameters().getCipherSuites()).noneMatch(SipTlsOffer::isNullCipher);
        SSLEngine server = jdk.createSSLEngine();
        server.setUseClientMode(false);
        assertThat(server.getEnabledCipherSuites()).noneMatch(SipTlsOffer::isNullCipher);
        for (TlsProfile p : List.of(TlsProfile.CURRENT, TlsProfile.TLS12_AES256_SHA)) {
            SSLEngine e = ClientTls.context(Optional.empty(), p).newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
            assertThat(e.getEnabledCipherSuites()).as(p.name()).noneMatch(SipTlsOffer::isNullCipher);
        }
        SSLEngine authenticated = ClientTls.context(Optional.empty(), TlsProfile.SIP_AUTHENTICATED).newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertThat(Arrays.stream(authenticated.getEnabledCipherSuites()).map(SipTlsOffer::ianaName)).containsExactly(SipTlsOffer.NULL_SHA);
        assertThat(authenticated.getEnabledProtocols()).containsExactly("TLSv1.2");
    }

    @Test
    void aJvmStartedWithoutTheAllowanceRefusesTheAuthenticatedOfferUntilMainAllowsIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        assertThat(probe(java, cp, "plain")).isEqualTo("negotiable=false refused=" + NullSuites.unavailable());
        assertThat(probe(java, cp, "allow")).isEqualTo("negotiable=true refused=none");
    }

    private static String probe(String java, String cp, String mode) throws Exception {
        Process p = new ProcessBuilder(java, "-cp", cp, NullSuitesProbe.class.getName(), mode).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
