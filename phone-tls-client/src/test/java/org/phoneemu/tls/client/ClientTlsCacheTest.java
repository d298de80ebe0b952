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
        KeyMaterial samePhoneAgain = new KeyMaterial(phone.privateKey(), phone.certificate(), phone.issuers());
        KeyMaterial other = ca.issueWithNewKey("CP-8851-SEP001122334466", 1024, Clock.systemUTC());

        var first = ClientTls.cachedContext(Optional.of(phone), TlsProfile.CURRENT);
        assertThat(ClientTls.cachedContext(Optional.of(samePhoneAgain), TlsProfile.CURRENT)).isSameAs(first);
        assertThat(ClientTls.cachedContext(Optional.of(other), TlsProfile.CURRENT)).isNotSameAs(first);
        // Without a certificate: the shared anonymous context, as before.
        assertThat(ClientTls.cachedContext(Optional.empty(), TlsProfile.CURRENT)).isSameAs(ClientTls.context(Optional.empty()));
        // The same key and certificate presented without its intermediate is another identity (another chain is sent).
        assertThat(ClientTls.cachedContext(Optional.of(new KeyMaterial(phone.privateKey(), phone.certificate())), TlsProfile.CURRENT))
                .isNotSameAs(first);
    }

    /** A replaced LSC's contexts are released, under every profile; another identity's stay. */
    @Test
    void forgetReleasesEveryContextOfTheReplacedIdentityOnly() {
        ManufacturingCa ca = ManufacturingCa.generate();
        KeyMaterial replaced = ca.issueWithNewKey("CP-8851-SEP001122334477", 1024, Clock.systemUTC());
        KeyMaterial kept = ca.issueWithNewKey("CP-8851-SEP001122334488", 1024, Clock.systemUTC());
        var old = ClientTls.cachedContext(Optional.of(replaced), TlsProfile.CURRENT);
        ClientTls.cachedContext(Optional.of(replaced), TlsProfile.TLS12_AES256_SHA);
        var other = ClientTls.cachedContext(Optional.of(kept), TlsProfile.CURRENT);
        int before = ClientTls.cachedIdentities();

        ClientTls.forget(replaced);
        assertThat(ClientTls.cachedIdentities()).isEqualTo(before - 2);
        assertThat(ClientTls.cachedContext(Optional.of(kept), TlsProfile.CURRENT)).isSameAs(other);
        assertThat(ClientTls.cachedContext(Optional.of(replaced), TlsProfile.CURRENT)).as("built anew if ever asked again").isNotSameAs(old);
    }
}
