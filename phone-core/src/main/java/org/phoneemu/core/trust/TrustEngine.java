package org.phoneemu.core.trust;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.core.tvs.TvsAnswer;

/**
 * Decides whether a downloaded CTL or ITL replaces the installed one (docs/TRUST-RULES.md §2).
 * It does no I/O: when the installed lists cannot decide it returns {@link TrustListOutcome.NeedsTvs}, and the
 * caller resumes it with the TVS answer. It logs the phone's console lines and adds the status messages.
 */
public final class TrustEngine {
    private final ConsoleLog log;
    private final StatusMessages status;
    private final Clock clock;

    /** @param clock the phone's clock, against which the trusted signers' end dates are judged ({@link ExpiredSigner}) */
    public TrustEngine(ConsoleLog log, StatusMessages status, Clock clock) {
        this.log = log;
        this.status = status;
        this.clock = clock;
    }

    /** Offers a downloaded trust list of {@code kind} (its bytes exactly as received) to a phone holding {@code current}. */
    public TrustListOutcome offer(InstalledTrust current, TrustListKind kind, byte[] bytes, String fileName) {
        TrustList candidate;
        try {
            candidate = TrustList.parse(bytes, kind);
        } catch (MalformedFileException e) {
            return refuse(fileName, "malformed file: " + e.getMessage());
        }
        Optional<TrustList> installed = kind == TrustListKind.CTL ? current.ctl() : current.itl();
        if (installed.isPresent() && Arrays.equals(installed.get().file().bytes(), bytes)) {
            log.notice("SECD: validate_file_envelope: " + TrustListOutcome.unchangedText(fileName, candidate.file().md5Hex()));
            return new TrustListOutcome.Unchanged(installed.get());
        }
        // A list that names its own signer must verify with it; a rollback (blank) ITL names nobody and is
        // judged by the installed lists alone.
        Optional<TrustRecord> ownSigner = candidate.signerRecord();
        if (ownSigner.isPresent() && !candidate.verifiesItself()) {
            return refuse(fileName, "File sign verify FAILED with its own signer record: the file was altered");
        }

        TrustState state = current.state();
        if (state == TrustState.NONE || state == TrustState.ROLLBACK) {
            return install(candidate, fileName, TrustListOutcome.Basis.FIRST_USE, "trust on first use"
                    + (state == TrustState.ROLLBACK ? " (rollback ITL installed)" : ""));
        }
        for (TrustRecord r : trustedSigners(current, kind)) {
            if (r.namesSigner(candidate.file().signer())) {
                Optional<String> expired = ExpiredSigner.check(r, clock.instant(), current.searchOrder());
                if (expired.isPresent()) {
                    return refuse(fileName, expired.get());
                }
                if (r.publicKey().map(candidate.file()::verifySignature).orElse(false)) {
                    return install(candidate, fileName, TrustListOutcome.Basis.SIGNED_BY_TRUSTED_RECORD,
                            "signed by " + r.roleName() + " " + r.subjectName());
                }
                return refuse(fileName, "signer " + r.subjectName() + " is trusted but the signature does not verify with its key");
            }
        }
        Optional<X509Certificate> signerCert = ownSigner.flatMap(TrustRecord::certificate);
        if (signerCert.isEmpty()) {
            return refuse(fileName, "signer " + candidate.file().signer().name()
                    + " is not in the installed trust lists and the file carries no certificate to ask TVS about");
        }
        log.notice("SECD: validate_file_envelope: signer " + candidate.file().signer().name()
                + " not found in the installed trust lists; asking TVS");
        return new TrustListOutcome.NeedsTvs(candidate, signerCert.get(), current, fileName);
    }

    /** Continues a {@link TrustListOutcome.NeedsTvs} with what the TVS servers said. */
    public TrustListOutcome resume(TrustListOutcome.NeedsTvs pending, TvsAnswer answer) {
        // The name the phone asked for (ITLSEP<MAC>.tlv), in the refusal as in the success line.
        String fileName = pending.requestedName();
        if (answer instanceof TvsAnswer.Valid v) {
            return install(pending.candidate(), fileName, TrustListOutcome.Basis.VOUCHED_BY_TVS, "signer vouched for by TVS " + v.server());
        }
        String why = answer instanceof TvsAnswer.Invalid i
                ? "TVS " + i.server() + " does not know the signer (status " + i.status() + ")"
                : "no TVS server could verify the signer: " + ((TvsAnswer.Unreachable) answer).reason();
        return refuse(fileName, why);
    }

    /** The records allowed to sign a new list of {@code kind} for a phone holding {@code current}. */
    static List<TrustRecord> trustedSigners(InstalledTrust current, TrustListKind kind) {
        List<TrustRecord> out = new ArrayList<>();
        Optional<TrustList> itl = current.itl().filter(l -> !l.isBlank());
        if (kind == TrustListKind.CTL) {
            // A new CTL: a SAST of the installed CTL; a phone with only an ITL trusts its SAST records
            // (a tokenless CTL is signed by the CallManager key, which the ITL lists as SAST).
            current.ctl().ifPresentOrElse(ctl -> out.addAll(ctl.recordsWithRole(Role.SAST)),
                    () -> itl.ifPresent(l -> out.addAll(l.recordsWithRole(Role.SAST))));
            return out;
        }
        itl.ifPresent(l -> out.addAll(l.recordsWithRole(Role.SAST)));
        current.ctl().ifPresent(ctl -> {
            out.addAll(ctl.recordsWithRole(Role.SAST));
            // The CTL's CCM+TFTP (or TFTP) record vouches for an ITL, also on a phone holding both lists (seed
            // 001: "verifies against the CTL, the ITL or TVS"): that is what lets a hostname change pass with a
            // CTL (docs/TRUST-RULES.md §2, scenario s10).
            ctl.records().stream().filter(r -> Set.of(Role.CCM_TFTP, Role.TFTP).contains(r.role().orElse(null)))
                    .forEach(out::add);
        });
        return out;
    }

    private TrustListOutcome install(TrustList list, String fileName, TrustListOutcome.Basis basis, String detail) {
        log.notice("SECD: validate_file_envelope: File sign verify SUCCESS; header length <" + list.file().headerLength() + ">");
        log.notice("SECD: " + TrustListOutcome.installedText(fileName, detail, list.file().md5Hex()));
        return new TrustListOutcome.Installed(list, basis, detail, status.add(StatusMessages.TRUST_LIST_UPDATED));
    }

    private TrustListOutcome refuse(String fileName, String reason) {
        log.error("SECD: EROR:validate_file_envelope: " + TrustListOutcome.refusedText(fileName, reason));
        return new TrustListOutcome.Refused(reason, status.add(StatusMessages.TRUST_LIST_UPDATE_FAILED));
    }
}
