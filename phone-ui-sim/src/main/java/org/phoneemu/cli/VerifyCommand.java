package org.phoneemu.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.SignerCheck;
import org.phoneemu.core.trustlist.SignerVerdict;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Would a phone holding these trust lists accept FILE's signature?",
                "The signer (issuer + serial in FILE's header) must be a record of a suitable role: "
                        + "SAST for an ITL or CTL (or CCM+TFTP/TFTP of a CTL for an ITL), CCM+TFTP or TFTP for a config; "
                        + "then the signature must verify with that record's key.",
                "Exit 0 accepted, 1 refused, 2 malformed."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the signed file to check (.tlv, .sgn, .enc.sgn)")
    Path file;

    @Option(names = "--trust", required = true, paramLabel = "TRUSTLIST.tlv",
            description = "an ITL or CTL the phone holds (repeatable)")
    List<Path> trust = new ArrayList<>();

    @Override
    public Integer call() {
        SignedFile signed = Inputs.signedFile(file);
        List<TrustList> lists = new ArrayList<>();
        for (Path p : trust) {
            lists.add(Inputs.trustList(p));
        }
        boolean trustList = Inputs.looksLikeTrustList(file, signed);
        if (trustList) {
            Inputs.trustList(file); // the records must parse too
        }
        SignerVerdict verdict = SignerCheck.check(signed, lists, roles(trustList, signed, lists));
        PrintWriter out = spec.commandLine().getOut();
        out.println("File: " + file + " (" + signed.length() + " bytes, MD5 " + signed.md5Hex() + ")");
        out.println("Signer: " + signed.signer().name() + ", issuer " + signed.signer().issuer()
                + ", serial " + Certificates.serialDisplay(signed.signer().serial().toArray())
                + ", " + signed.digest().displayName());
        if (verdict instanceof SignerVerdict.Trusted t) {
            out.println("Accepted: signed by " + t.record() + " of " + t.list().kind() + " "
                    + t.list().file().filename().orElse("?") + " (MD5 " + t.list().file().md5Hex() + ")");
            out.flush();
            return 0;
        }
        SignerVerdict.Untrusted u = (SignerVerdict.Untrusted) verdict;
        out.println("Refused (" + u.reason() + "): " + u.detail());
        out.flush();
        return PhoneEmu.REFUSED;
    }

    private static Set<Role> roles(boolean trustList, SignedFile file, List<TrustList> lists) {
        if (!trustList) {
            return SignerCheck.CONFIG_SIGNERS;
        }
        boolean newItl = TrustListKind.fromName(file.filename().orElse("")) == TrustListKind.ITL;
        boolean onlyCtl = lists.stream().allMatch(l -> l.kind() == TrustListKind.CTL);
        // docs/TRUST-RULES.md §2: with a CTL but no ITL, the CTL's CCM+TFTP/TFTP record may vouch for a new ITL.
        return newItl && onlyCtl ? Set.of(Role.SAST, Role.CCM_TFTP, Role.TFTP) : SignerCheck.TRUST_LIST_SIGNERS;
    }
}
