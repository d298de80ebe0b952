package org.phoneemu.tls.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.ManufacturingCa;

/** One client context per identity (key and certificate, by value), not one per connection. */
class ClientTlsCacheTest {
    @Test
    void theSameIdentityGetsTheSameContextAndAnotherIdentityItsOwn() {
        ManufacturingCa ca = ManufacturingCa.generate();
        KeyMaterial phone = ca.issueWithNewKey("CP-8851-SEP001122334455", 1024, Clock.systemUTC());
        KeyMaterial samePhoneAgain = new KeyMaterial(phone.privateKey(), phone.certificate());
        KeyMaterial other = ca.issueWithNewKey("CP-8851-SEP001122334466", 1024, Clock.systemUTC());

        var first = ClientTls.cachedContext(Optional.of(phone), TlsProfile.CURRENT);
        assertThat(ClientTls.cachedContext(Optional.of(samePhoneAgain), TlsProfile.CURRENT)).isSameAs(first);
        assertThat(ClientTls.cachedContext(Optional.of(other), TlsProfile.CURRENT)).isNotSameAs(first);
        // Without a certificate: the shared anonymous context, as before.
        assertThat(ClientTls.cachedContext(Optional.empty(), TlsProfile.CURRENT)).isSameAs(ClientTls.context(Optional.empty()));
    }
}
