package org.phoneemu.core.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which suites and protocols a phone offers on SIP-TLS, by device security mode (docs/SIP.md §5). */
class SipTlsOfferTest {
    @Test
    void authenticatedIsTls12WithNullShaAloneEncryptedTheProvidersEncryptingDefaults() {
        SipTlsOffer auth = SipTlsOffer.forMode(DeviceSecurityMode.AUTHENTICATED);
        assertThat(auth.protocols()).containsExactly("TLSv1.2");
        assertThat(auth.suites()).containsExactly("TLS_RSA_WITH_NULL_SHA");
        assertThat(auth.integrityOnly()).isTrue();
        SipTlsOffer enc = SipTlsOffer.forMode(DeviceSecurityMode.ENCRYPTED);
        assertThat(enc.suites()).isEmpty();
        assertThat(enc.integrityOnly()).isFalse();
        assertThat(SipTlsOffer.callManagerNullSuites()).containsExactly("TLS_RSA_WITH_NULL_SHA");
    }

    @Test
    void theJdksSsl3NamesOfTheRsaNullSuitesReadAsIanaNames() {
        assertThat(SipTlsOffer.ianaName("SSL_RSA_WITH_NULL_SHA")).isEqualTo("TLS_RSA_WITH_NULL_SHA");
        assertThat(SipTlsOffer.ianaName("TLS_RSA_WITH_NULL_SHA256")).isEqualTo("TLS_RSA_WITH_NULL_SHA256");
        assertThat(SipTlsOffer.ianaName("TLS_AES_128_GCM_SHA256")).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(SipTlsOffer.isNullCipher("TLS_ECDHE_RSA_WITH_NULL_SHA")).isTrue();
        assertThat(SipTlsOffer.isNullCipher("TLS_RSA_WITH_AES_256_CBC_SHA")).isFalse();
    }
}
