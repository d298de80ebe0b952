package org.phoneemu.tac.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.device.ProvisioningPath;
import org.phoneemu.core.https.HttpsCertificateCheck;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.SignerCheck;
import org.phoneemu.core.trustlist.SignerVerdict;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.core.tvs.TvsCache;
import org.phoneemu.cucm.tvs.CertificateStore;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.InstalledLists;
import org.phoneemu.tac.served.NodeFiles;
import org.phoneemu.tac.served.ServedCluster;

/**
 * Audits what a cluster serves: its trust lists (signer, recovery record, TVS records, digest, certificates, size),
 * each device's files, and optionally a fleet's flash against what is served now. It reads files only; the
 * config-signer check is phone-core's {@link SignerCheck}, the same rule the phone applies.
 */
public final class Auditor {
    /** Above this many certificates a trust list nears the 64 KB limit (about 39 certificates of ~1.6 KB). */
    static final int NEAR_LIMIT_PERCENT = 90;
    private static final Pattern CREDENTIAL = Pattern.compile(
            "<([A-Za-z]*(?:[Pp]assword|[Ss]ecret|[Pp]in)[A-Za-z]*)>([^<]+)</\\1>");

    private final AuditOptions options;
    private final List<Finding> findings = new ArrayList<>();

    private Auditor(AuditOptions options) {
        this.options = options;
    }

    /** Audits {@code served}; {@code flashRoot} (optional) holds a fleet's per-phone flash folders. */
    public static AuditReport audit(ServedCluster served, Optional<Path> flashRoot, AuditOptions options) throws IOException {
        Auditor a = new Auditor(options);
        List<AuditReport.ListSummary> lists = new ArrayList<>();
        for (NodeFiles node : served.nodes()) {
            for (String name : List.of("ITLFile.tlv", "CTLFile.tlv")) {
                node.get(name).ifPresent(bytes -> a.trustList(node.node() + " " + name, bytes,
                        name.startsWith("CTL") ? TrustListKind.CTL : TrustListKind.ITL, served).ifPresent(lists::add));
            }
            if (node.get("ITLFile.tlv").isEmpty()) {
                a.add(Severity.HIGH, node.node(), "itl-missing", "no ITLFile.tlv served: phones have no trust list to verify configs with");
            }
            a.provisioningCertificate(node, served);
            a.xmlDefault(node);
            for (Device d : served.devices()) {
                a.device(node, d, served);
            }
        }
        List<AuditReport.FlashGroup> groups = flashRoot.isPresent() ? a.flash(flashRoot.get(), served) : List.of();
        return new AuditReport(served.label(), options.now().toString(), lists, groups, a.findings);
    }

    private void add(Severity s, String where, String check, String text) {
        findings.add(new Finding(s, where, check, text));
    }

    // ---- trust lists ------------------------------------------------------------------------------------

    private Optional<AuditReport.ListSummary> trustList(String where, byte[] bytes, TrustListKind kind, ServedCluster served) {
        TrustList list;
        try {
            list = TrustList.parse(bytes, kind);
        } catch (MalformedFileException e) {
            add(Severity.HIGH, where, "malformed", "does not parse: " + e.getMessage() + "; phones refuse it");
            return Optional.empty();
        }
        SignedFile f = list.file();
        String signer = f.signer().name();
        boolean recoverySigned = signer.toUpperCase(Locale.ROOT).contains("ITLRECOVERY");
        if (!list.isBlank() && !list.verifiesItself()) {
            add(Severity.HIGH, where, "signature", "the signature does not verify with the file's own signer record"
                    + " (e.g. a restore without the CallManager key): phones holding an older list refuse it");
        }
        List<TrustRecord> sast = list.recordsWithRole(Role.SAST);
        boolean recovery = sast.stream().anyMatch(r -> r.subjectName().toUpperCase(Locale.ROOT).contains("ITLRECOVERY"));
        if (list.isBlank()) {
            add(Severity.INFO, where, "rollback", "blank ITL (Prepare Cluster for Rollback): phones accept any config and trust the next ITL on first use");
        } else if (kind == TrustListKind.ITL && !recovery) {
            add(Severity.HIGH, where, "itl-recovery", "no ITLRecovery record: after a CallManager+TVS change there is no bulk recovery"
                    + " (utils itl reset cannot reach phones); each locked phone must erase its ITL by hand");
        } else if (kind == TrustListKind.CTL && !recovery && sast.size() < 2) {
            add(Severity.HIGH, where, "ctl-recovery", "one SAST record only and no ITLRecovery record: losing that signer's key leaves no way to re-sign the CTL");
        }
        List<TrustRecord> tvs = list.recordsWithRole(Role.TVS);
        if (kind == TrustListKind.ITL && !list.isBlank()) {
            if (tvs.isEmpty()) {
                add(Severity.MEDIUM, where, "tvs-records", "no TVS record: phones cannot ask TVS about a new signer or an HTTPS certificate");
            } else if (tvs.size() == 1) {
                add(Severity.LOW, where, "tvs-single", "one TVS record (" + tvs.get(0).subjectName()
                        + "): regenerating that node's TVS certificate leaves phones no TVS to fall back on");
            }
        }
        if (f.digest() == DigestAlgorithm.SHA1) {
            add(Severity.MEDIUM, where, "digest", "signed with SHA-1");
        }
        int percent = (int) (100L * bytes.length / TrustList.MAX_SIZE);
        if (bytes.length > TrustList.MAX_SIZE) {
            add(Severity.HIGH, where, "size", bytes.length + " bytes exceeds the 64 KB limit: phones refuse it");
        } else if (percent >= NEAR_LIMIT_PERCENT) {
            add(Severity.MEDIUM, where, "size", bytes.length + " bytes is " + percent + " % of the 64 KB limit (about 39 certificates)");
        }
        for (TrustRecord r : list.records()) {
            certificate(where, r);
        }
        return Optional.of(new AuditReport.ListSummary(where, kind.name(), bytes.length, f.md5Hex(), signer,
                signedBy(list, recoverySigned),
                list.records().size(), recovery, tvs.size(), f.digest().displayName()));
    }

    /** ITLRecovery, CallManager (an ITL, or a tokenless CTL signed by a CCM+TFTP record's key), or eToken. */
    private static String signedBy(TrustList list, boolean recoverySigned) {
        if (list.isBlank()) {
            return "none (rollback)";
        }
        if (recoverySigned) {
            return "ITLRecovery";
        }
        if (list.kind() == TrustListKind.ITL) {
            return "CallManager";
        }
        boolean callManager = list.records().stream().filter(r -> r.hasRole(Role.CCM_TFTP) || r.hasRole(Role.CCM))
                .anyMatch(r -> r.namesSigner(list.file().signer()));
        return callManager ? "CallManager" : "eToken";
    }

    /** What renewing an expiring certificate does to the phones, as the scenarios show it (docs/TRUST-RULES.md §12). */
    static final String RENEWAL = "; renewed together with the other CallManager, TVS and ITLRecovery certificates it locks the phones"
            + " (scenario s26), renewed one at a time with a phone reset after each it does not (s27)";

    /**
     * What leaving {@code r}'s certificate to expire does, as the scenarios show it (docs/TRUST-RULES.md §12 rules
     * 5-6): a CallManager certificate (CCM, CCM+TFTP, TFTP, or the SAST record of a tokenless ITL) stops vouching for
     * what it signs; an ITLRecovery one too, by an assumed rule; nothing is modelled for TVS and CAPF.
     */
    static String ifIgnored(TrustRecord r) {
        if (r.subjectName().startsWith("CN=ITLRECOVERY_")) {
            return "; left to expire, an ITL it signs is refused (s30, assumed)";
        }
        if (r.hasRole(Role.CCM) || r.hasRole(Role.CCM_TFTP) || r.hasRole(Role.TFTP) || r.hasRole(Role.SAST)) {
            return "; left to expire, the phones refuse the configuration and ITL files it signs (s29)";
        }
        return "";
    }

    private void certificate(String where, TrustRecord r) {
        String name = r.roleName() + " " + r.subjectName();
        Optional<X509Certificate> cert = r.certificate();
        if (cert.isPresent()) {
            Instant notAfter = cert.get().getNotAfter().toInstant();
            if (notAfter.isBefore(options.now())) {
                add(Severity.HIGH, where, "expired", name + " expired on " + notAfter + ifIgnored(r) + RENEWAL);
            } else if (notAfter.isBefore(options.now().plus(options.expiryWarning()))) {
                long days = Duration.between(options.now(), notAfter).toDays();
                add(Severity.MEDIUM, where, "expiring", name + " expires on " + notAfter + " (in " + days + " days)" + ifIgnored(r) + RENEWAL);
            }
        }
        Optional<PublicKey> key = cert.map(X509Certificate::getPublicKey).or(r::publicKey);
        if (key.isPresent() && key.get() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            add(Severity.MEDIUM, where, "key-size", name + " has a " + rsa.getModulus().bitLength() + "-bit RSA key");
        }
    }

    // ---- HTTPS provisioning (6971) -----------------------------------------------------------------------

    /** What a 6971 certificate that the phones' lists do not vouch for and TVS does not know does to them. */
    public static final String PROVISIONING_REFUSED =
            "the 6971 provisioning certificate is neither in the ITL (TFTP function) nor known to TVS, so the phone refuses it";

    /**
     * The certificate the node's HTTPS provisioning port presents, judged by the phone's own rule
     * ({@link HttpsCertificateCheck#checkProvisioning}) against the lists the node serves, then (for a simulated
     * cluster) against what its TVS knows. Only phones whose ITL is version 1.1 ask 6971.
     */
    private void provisioningCertificate(NodeFiles node, ServedCluster served) {
        if (node.provisioningCertificate().isEmpty()) {
            return;
        }
        X509Certificate cert = node.provisioningCertificate().get();
        InstalledTrust lists = new InstalledTrust(parse(node, "CTLFile.tlv", TrustListKind.CTL), parse(node, "ITLFile.tlv", TrustListKind.ITL));
        String where = node.node() + " HTTPS 6971";
        String models = httpsModels(served);
        if (!HttpsCertificateCheck.configOverHttps(lists)) {
            add(Severity.INFO, where, "provisioning-unused", "port 6971 answers, but the served ITL is not version 1.1: phones of HTTPS-provisioning"
                    + " models (" + models + ") take their configuration over HTTP 6970");
            return;
        }
        java.time.Clock at = java.time.Clock.fixed(options.now(), java.time.ZoneOffset.UTC);
        HttpsCertificateCheck check = new HttpsCertificateCheck(new org.phoneemu.core.console.ConsoleLog("audit", at, 64), new TvsCache(at));
        HttpsDecision decided = check.checkProvisioning(lists, cert, node.address());
        if (decided instanceof HttpsDecision.Allowed) {
            return;
        }
        String name = cert.getSubjectX500Principal().getName() + " (serial " + cert.getSerialNumber().toString(16) + ")";
        Optional<CertificateStore> tvs = served.tvs();
        if (tvs.isEmpty()) {
            add(Severity.MEDIUM, where, "provisioning-certificate", name + " is not in the served ITL or CTL with the TFTP function; this"
                    + " audit does not ask a live cluster's TVS: unless TVS knows it, " + PROVISIONING_REFUSED + " and phones of"
                    + " HTTPS-provisioning models (" + models + ") fall back to HTTP 6970 at every boot (the signed configuration)");
            return;
        }
        // What TVS answers (it knows the certificate or not), then the phone's own rule decides on that answer.
        boolean known = tvs.get().lookup(cert) instanceof CertificateStore.Lookup.FoundEqual;
        HttpsDecision afterTvs = check.resume((HttpsDecision.NeedsTvs) decided, known
                ? new TvsAnswer.Valid(node.node(), List.of(), java.util.OptionalLong.empty()) : new TvsAnswer.Invalid(node.node(), 1));
        if (afterTvs instanceof HttpsDecision.Allowed) {
            add(Severity.LOW, where, "provisioning-tvs", name + " is not in the served ITL or CTL with the TFTP function; TVS knows it:"
                    + " phones of HTTPS-provisioning models (" + models + ") accept 6971 only after asking TVS (cached 86400 s)");
        } else {
            add(Severity.MEDIUM, where, "provisioning-certificate", name + ": " + PROVISIONING_REFUSED + "; phones of HTTPS-provisioning"
                    + " models (" + models + ") fall back to HTTP 6970 at every boot (the signed configuration), or lock if it is not served");
        }
    }

    /** The audited devices' models that provision over HTTPS, or the table's series when no device is named. */
    private static String httpsModels(ServedCluster served) {
        List<String> models = served.devices().stream().map(Device::model).distinct()
                .filter(m -> PhoneModel.parse(m).map(PhoneModel::provisioning).orElse(ProvisioningPath.TFTP_ONLY) == ProvisioningPath.HTTPS)
                .toList();
        return models.isEmpty() ? "78xx, 88xx" : String.join(", ", models);
    }

    // ---- configs and devices ----------------------------------------------------------------------------

    private void xmlDefault(NodeFiles node) {
        node.get("XMLDefault.cnf.xml").ifPresent(b -> {
            List<String> creds = credentials(b);
            if (creds.isEmpty()) {
                add(Severity.LOW, node.node() + " XMLDefault.cnf.xml", "xmldefault",
                        "served in plaintext to any device that asks (auto-registration): cluster names and TVS servers are readable");
            } else {
                add(Severity.HIGH, node.node() + " XMLDefault.cnf.xml", "plaintext-credentials",
                        "served in plaintext and holds " + String.join(", ", creds) + ": readable by anyone on the voice VLAN");
            }
        });
    }

    private void device(NodeFiles node, Device d, ServedCluster served) {
        String at = node.node() + " " + d.name();
        Optional<TrustList> itl = parse(node, "ITL" + d.name() + ".tlv", TrustListKind.ITL).or(() -> parse(node, "ITLFile.tlv", TrustListKind.ITL));
        Optional<TrustList> ctl = parse(node, "CTL" + d.name() + ".tlv", TrustListKind.CTL).or(() -> parse(node, "CTLFile.tlv", TrustListKind.CTL));
        for (String kind : List.of("ITL", "CTL")) {
            Optional<byte[]> own = node.get(kind + d.name() + ".tlv");
            Optional<byte[]> wide = node.get(kind + "File.tlv");
            if (own.isPresent() && wide.isPresent() && !sameRecords(own.get(), wide.get(), kind)) {
                add(Severity.MEDIUM, at, "device-list", kind + d.name() + ".tlv lists other certificates than " + kind
                        + "File.tlv: this phone trusts something else than the rest of the cluster");
            }
        }
        String plain = d.name() + ".cnf.xml";
        Optional<byte[]> sgn = node.get(plain + ".sgn");
        if (sgn.isPresent()) {
            configSigner(at, plain + ".sgn", sgn.get(), itl, ctl, served);
        }
        Optional<byte[]> clear = node.get(plain);
        if (clear.isPresent() && sgn.isPresent()) {
            List<String> creds = credentials(clear.get());
            if (creds.isEmpty()) {
                add(Severity.MEDIUM, at, "plaintext-config", plain + " is served next to the .sgn: the device's config is readable by anyone on the voice VLAN");
            } else {
                add(Severity.HIGH, at, "plaintext-credentials", plain + " is served next to the .sgn and holds " + String.join(", ", creds)
                        + ": readable by anyone on the voice VLAN");
            }
        } else if (clear.isPresent()) {
            List<String> creds = credentials(clear.get());
            add(creds.isEmpty() ? Severity.MEDIUM : Severity.HIGH, at, creds.isEmpty() ? "plaintext-config" : "plaintext-credentials",
                    plain + " is only served unsigned" + (creds.isEmpty() ? "" : " and holds " + String.join(", ", creds)));
        }
    }

    private void configSigner(String at, String name, byte[] bytes, Optional<TrustList> itl, Optional<TrustList> ctl, ServedCluster served) {
        SignedFile file;
        try {
            file = SignedFile.parse(bytes);
        } catch (MalformedFileException e) {
            add(Severity.HIGH, at, "config-malformed", name + " does not parse: " + e.getMessage());
            return;
        }
        List<TrustList> lists = new ArrayList<>();
        ctl.ifPresent(lists::add);
        itl.filter(l -> !l.isBlank()).ifPresent(lists::add);
        if (lists.isEmpty()) {
            return;
        }
        SignerVerdict v = SignerCheck.check(file, lists, SignerCheck.CONFIG_SIGNERS);
        if (v instanceof SignerVerdict.Trusted) {
            return;
        }
        String detail = ((SignerVerdict.Untrusted) v).detail();
        Optional<CertificateStore> tvs = served.tvs();
        boolean tvsKnows = tvs.flatMap(s -> s.find(file.signer().issuer(), file.signer().serialNumber())).isPresent();
        add(Severity.HIGH, at, "config-signer", name + ": " + detail + (tvsKnows
                ? "; only TVS knows the signer, and phones do not ask TVS about configs: File Auth Fail"
                : tvs.isPresent() ? "; TVS does not know it either: File Auth Fail" : ": File Auth Fail"));
    }

    private static Optional<TrustList> parse(NodeFiles node, String name, TrustListKind kind) {
        return node.get(name).flatMap(b -> {
            try {
                return Optional.of(TrustList.parse(b, kind));
            } catch (MalformedFileException e) {
                return Optional.empty();
            }
        });
    }

    private static boolean sameRecords(byte[] a, byte[] b, String kind) {
        try {
            TrustListKind k = kind.equals("CTL") ? TrustListKind.CTL : TrustListKind.ITL;
            return fingerprints(TrustList.parse(a, k)).equals(fingerprints(TrustList.parse(b, k)));
        } catch (MalformedFileException e) {
            return false;
        }
    }

    private static List<String> fingerprints(TrustList l) {
        return l.records().stream().map(r -> r.roleName() + "/" + r.issuerName() + "/" + r.serialNumber()).sorted().toList();
    }

    static List<String> credentials(byte[] xml) {
        Matcher m = CREDENTIAL.matcher(new String(xml, StandardCharsets.UTF_8));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            if (!m.group(2).isBlank() && !out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    // ---- a fleet's flash --------------------------------------------------------------------------------

    private List<AuditReport.FlashGroup> flash(Path root, ServedCluster served) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": no such directory");
        }
        NodeFiles first = served.firstNode();
        Map<String, List<String>> byInstalled = new TreeMap<>();
        Map<String, String> servedOf = new LinkedHashMap<>();
        List<String> holdingServed = new ArrayList<>();
        for (Path phone : FlashFolders.find(root)) {
            String name = phone.getFileName().toString().toUpperCase(Locale.ROOT);
            InstalledLists held = InstalledLists.onFlash(phone);
            byInstalled.computeIfAbsent(held.describe(), k -> new ArrayList<>()).add(name);
            servedOf.put(name, InstalledLists.servedTo(first, name).describe());
            if (served.servesNow(name, held)) {
                holdingServed.add(name);
            }
        }
        List<AuditReport.FlashGroup> groups = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byInstalled.entrySet()) {
            List<String> phones = e.getValue();
            List<String> differing = phones.stream().filter(p -> !holdingServed.contains(p)).toList();
            groups.add(new AuditReport.FlashGroup(e.getKey(), phones, differing.size()));
            if (!differing.isEmpty()) {
                add(Severity.MEDIUM, "flash " + root, "itl-mismatch", differing.size() + " phone(s) hold ITL/CTL MD5 " + e.getKey()
                        + " but the cluster serves " + servedOf.get(differing.get(0)) + (served.nodes().size() > 1 ? " (first TFTP node)" : "")
                        + " (" + String.join(", ", differing.subList(0, Math.min(5, differing.size())))
                        + (differing.size() > 5 ? ", …" : "") + "): they take the served list at their next boot only if its signer is trusted");
            }
        }
        if (groups.isEmpty()) {
            add(Severity.INFO, "flash " + root, "flash-empty", "no phone flash folder (SEP<MAC>) found");
        }
        return groups;
    }
}
