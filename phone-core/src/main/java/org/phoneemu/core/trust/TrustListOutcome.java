package org.phoneemu.core.trust;

import java.security.cert.X509Certificate;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;

/** The engine's decision on a downloaded CTL or ITL. */
public sealed interface TrustListOutcome {
    /** Install {@code list}: the caller writes its bytes to flash. */
    record Installed(TrustList list, Basis basis, String detail) implements TrustListOutcome {
    }

    /** Byte-identical to the installed file: nothing to do, not an error. */
    record Unchanged(TrustList list) implements TrustListOutcome {
    }

    /** Keep the installed file; the phone shows "Trust List Update Failed". */
    record Refused(String reason) implements TrustListOutcome {
    }

    /**
     * The local lists cannot decide: ask TVS to verify {@code signerCertificate} (the new file's own signer),
     * then call {@link TrustEngine#resume(NeedsTvs, org.phoneemu.core.tvs.TvsAnswer)}.
     */
    record NeedsTvs(TrustList candidate, X509Certificate signerCertificate, InstalledTrust against) implements TrustListOutcome {
    }

    /** Why a new list was installed. */
    enum Basis {
        /** Nothing (or only a rollback ITL) was installed: trust on first use. */
        FIRST_USE,
        /** Signed by a record of the installed lists. */
        SIGNED_BY_TRUSTED_RECORD,
        /** TVS vouched for the new signer. */
        VOUCHED_BY_TVS
    }
}
