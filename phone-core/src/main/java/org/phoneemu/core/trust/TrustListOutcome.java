package org.phoneemu.core.trust;

import java.security.cert.X509Certificate;
import java.util.Optional;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;

/** The engine's decision on a downloaded CTL or ITL, with the status message it added (if any). */
public sealed interface TrustListOutcome {
    /** The status message this decision added ("Trust List Updated", "Trust List Update Failed"), if any. */
    default Optional<StatusMessages.Message> statusAdded() {
        return Optional.empty();
    }

    /** Install {@code list}: the caller writes its bytes to flash. {@code status} is "Trust List Updated". */
    record Installed(TrustList list, Basis basis, String detail, StatusMessages.Message status) implements TrustListOutcome {
        @Override
        public Optional<StatusMessages.Message> statusAdded() {
            return Optional.of(status);
        }
    }

    /** Byte-identical to the installed file: nothing to do, not an error. */
    record Unchanged(TrustList list) implements TrustListOutcome {
    }

    /** Keep the installed file; {@code status} is the "Trust List Update Failed" the phone shows. */
    record Refused(String reason, StatusMessages.Message status) implements TrustListOutcome {
        @Override
        public Optional<StatusMessages.Message> statusAdded() {
            return Optional.of(status);
        }
    }

    /**
     * The local lists cannot decide: ask TVS to verify {@code signerCertificate} (the new file's own signer),
     * then call {@link TrustEngine#resume(NeedsTvs, org.phoneemu.core.tvs.TvsAnswer)}. {@code requestedName} is the
     * name the phone asked TFTP for ({@code ITLSEP<MAC>.tlv}), which the console lines name.
     */
    record NeedsTvs(TrustList candidate, X509Certificate signerCertificate, InstalledTrust against, String requestedName)
            implements TrustListOutcome {
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

    /** The decision in the phone's words, as its console line says it after the daemon's prefix: "ITLFile.tlv installed: ...". */
    static String installedText(String fileName, String detail, String md5) {
        return fileName + " installed: " + detail + ", MD5 " + md5;
    }

    /** As {@link #installedText}, for a byte-identical list. */
    static String unchangedText(String fileName, String md5) {
        return fileName + " unchanged, MD5 " + md5;
    }

    /** As {@link #installedText}, for a refusal. */
    static String refusedText(String fileName, String reason) {
        return fileName + " refused: " + reason;
    }
}
