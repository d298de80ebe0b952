package org.phoneemu.phone;

import java.util.List;
import java.util.Optional;
import org.phoneemu.core.trust.TrustListOutcome;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.tvs.TvsServerAnswer;

/**
 * What a boot did with one trust list (CTL or ITL), as a value: the decision, its basis or reason, and whom TVS was
 * asked about and what each server answered. Readers (predict, fleet rows, pages) use this, never the console lines,
 * which say the same in the phone's words.
 */
public sealed interface TrustListStep {
    TrustListKind kind();

    /** The name the phone asked TFTP for ({@code ITLSEP<MAC>.tlv}, {@code CTLFile.tlv}, ...). */
    String fileName();

    /** The decision in the phone's words (its console line after the daemon's prefix). */
    String text();

    /** When the installed lists could not decide: the new list's signer and what each TVS server answered. */
    default Optional<TvsAsked> tvs() {
        return Optional.empty();
    }

    /** The signer TVS was asked about, and each server asked, in order. */
    record TvsAsked(String signer, List<TvsServerAnswer> servers) {
        public TvsAsked {
            servers = List.copyOf(servers);
        }
    }

    /** The TFTP servers had no such file: what is installed stays. */
    record NotServed(TrustListKind kind, String fileName) implements TrustListStep {
        @Override
        public String text() {
            return "no " + kind + " file from the TFTP server; keeping what is installed";
        }
    }

    /** Byte-identical to the installed list. */
    record Unchanged(TrustListKind kind, String fileName, String md5) implements TrustListStep {
        @Override
        public String text() {
            return TrustListOutcome.unchangedText(fileName, md5);
        }
    }

    /** Installed: {@code detail} is the engine's words for {@code basis} ("signed by SAST ...", "trust on first use"). */
    record Installed(TrustListKind kind, String fileName, TrustListOutcome.Basis basis, String signer, String md5, String detail,
                     Optional<TvsAsked> tvs) implements TrustListStep {
        @Override
        public String text() {
            return TrustListOutcome.installedText(fileName, detail, md5);
        }
    }

    /** Refused ("Trust List Update Failed"): the installed list stays. */
    record Refused(TrustListKind kind, String fileName, String reason, Optional<TvsAsked> tvs) implements TrustListStep {
        @Override
        public String text() {
            return TrustListOutcome.refusedText(fileName, reason);
        }
    }

    /** The engine's outcome as a step of the boot; {@code asked} when TVS was consulted first. */
    static TrustListStep of(TrustListKind kind, String fileName, TrustListOutcome outcome, Optional<TvsAsked> asked) {
        if (outcome instanceof TrustListOutcome.Installed i) {
            return new Installed(kind, fileName, i.basis(), i.list().file().signer().name(), i.list().file().md5Hex(), i.detail(), asked);
        }
        if (outcome instanceof TrustListOutcome.Unchanged u) {
            return new Unchanged(kind, fileName, u.list().file().md5Hex());
        }
        if (outcome instanceof TrustListOutcome.Refused r) {
            return new Refused(kind, fileName, r.reason(), asked);
        }
        throw new IllegalArgumentException("not a final trust list outcome: " + outcome);
    }
}
