package org.phoneemu.core.trustlist;

import java.security.PublicKey;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.signedfile.SignedFile;

/** Finds a file's signer in trust lists (issuer + serial, suitable role) and checks the signature. */
public final class SignerCheck {
    /** Roles allowed to sign an ITL or CTL. */
    public static final Set<Role> TRUST_LIST_SIGNERS = Set.of(Role.SAST);
    /** Roles allowed to sign configuration files. */
    public static final Set<Role> CONFIG_SIGNERS = Set.of(Role.CCM_TFTP, Role.TFTP);

    private SignerCheck() {
    }

    public static SignerVerdict check(SignedFile file, Collection<TrustList> lists, Set<Role> roles) {
        boolean listedElsewhere = false;
        TrustRecord badSignature = null;
        TrustRecord noKey = null;
        for (TrustList list : lists) {
            for (TrustRecord r : list.records()) {
                if (!r.namesSigner(file.signer())) {
                    continue;
                }
                if (r.role().filter(roles::contains).isEmpty()) {
                    listedElsewhere = true;
                    continue;
                }
                Optional<PublicKey> key = r.publicKey();
                if (key.isEmpty()) {
                    noKey = r;
                } else if (file.verifySignature(key.get())) {
                    return new SignerVerdict.Trusted(list, r);
                } else {
                    badSignature = r;
                }
            }
        }
        String who = "signer " + file.signer().issuer() + " serial "
                + Certificates.serialDisplay(file.signer().serial().toArray());
        if (badSignature != null) {
            return new SignerVerdict.Untrusted(SignerVerdict.Reason.BAD_SIGNATURE,
                    "signature does not verify with the key of " + badSignature + ": the file was altered or signed by another key");
        }
        if (noKey != null) {
            return new SignerVerdict.Untrusted(SignerVerdict.Reason.NO_KEY, noKey + " has no usable public key");
        }
        if (listedElsewhere) {
            return new SignerVerdict.Untrusted(SignerVerdict.Reason.ROLE_NOT_ALLOWED, who + " is listed, but not as "
                    + roles.stream().map(Role::displayName).sorted().collect(Collectors.joining(" or ")));
        }
        return new SignerVerdict.Untrusted(SignerVerdict.Reason.SIGNER_UNKNOWN, who + " is not in any trust list");
    }
}
