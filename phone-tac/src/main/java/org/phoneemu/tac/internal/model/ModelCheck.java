package org.phoneemu.tac.internal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.security.interfaces.RSAPublicKey;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.NodeFiles;
import org.phoneemu.tac.served.ServedCluster;
import org.phoneemu.tac.served.TftpReader;

/**
 * Compares what a model's cluster serves with what the live cluster serves, as the phones' rules see files: for
 * each trust list its signer and digest and its records (role, common names, key size); for each device which files
 * exist. Keys, serials and timestamps are the model's own; the other attributes of names, the records' order and
 * whether a record carries a certificate or its hash decide nothing, so none of these are compared.
 */
public final class ModelCheck {
    private ModelCheck() {
    }

    /** The differences, each in one line; empty when the model serves files of the live cluster's shape. */
    public static List<String> differences(ServedCluster live, ServedCluster model) {
        List<String> out = new ArrayList<>();
        for (NodeFiles l : live.nodes()) {
            Optional<String> cm = callManager(l);
            Optional<NodeFiles> m = model.nodes().stream().filter(n -> callManager(n).equals(cm) && cm.isPresent()).findFirst();
            if (m.isEmpty()) {
                out.add(l.node() + ": no TFTP node of the model serves an ITL for " + cm.orElse("this node"));
                continue;
            }
            for (String list : List.of("ITLFile.tlv", "CTLFile.tlv")) {
                compare(l.node() + " " + list, l.get(list), m.get().get(list),
                        list.startsWith("CTL") ? TrustListKind.CTL : TrustListKind.ITL, out);
            }
            for (Device d : live.devices()) {
                for (String name : TftpReader.deviceFiles(d)) {
                    if (l.has(name) != m.get().has(name)) {
                        out.add(l.node() + " " + name + ": " + (l.has(name) ? "served, but not by the model" : "not served, but the model serves it"));
                    }
                }
            }
        }
        return out;
    }

    private static Optional<String> callManager(NodeFiles n) {
        return n.get("ITLFile.tlv").flatMap(b -> parse(b, TrustListKind.ITL))
                .flatMap(l -> l.records().stream().filter(r -> r.hasRole(Role.CCM_TFTP) || r.hasRole(Role.TFTP)).findFirst())
                .map(r -> r.subjectName().toLowerCase(Locale.ROOT));
    }

    private static void compare(String what, Optional<byte[]> live, Optional<byte[]> model, TrustListKind kind, List<String> out) {
        if (live.isEmpty() || model.isEmpty()) {
            if (live.isPresent() != model.isPresent()) {
                out.add(what + ": " + (live.isPresent() ? "served, but not by the model" : "not served, but the model serves it"));
            }
            return;
        }
        Optional<TrustList> l = parse(live.get(), kind);
        Optional<TrustList> m = parse(model.get(), kind);
        if (l.isEmpty() || m.isEmpty()) {
            if (l.isPresent() != m.isPresent()) {
                out.add(what + ": " + (l.isEmpty() ? "the served file does not parse" : "the model's file does not parse"));
            }
            return;
        }
        String ls = signer(l.get());
        String ms = signer(m.get());
        if (!ls.equals(ms)) {
            out.add(what + " signer: served " + ls + ", model " + ms);
        }
        List<String> served = records(l.get());
        List<String> modelled = records(m.get());
        List<String> missing = new ArrayList<>(served);
        modelled.forEach(missing::remove);
        List<String> extra = new ArrayList<>(modelled);
        served.forEach(extra::remove);
        missing.forEach(r -> out.add(what + ": served " + r + ", the model has no such record"));
        extra.forEach(r -> out.add(what + ": the model has " + r + ", not served"));
    }

    /**
     * Who signs the list as the phones' rules see it: the signer's common name and the digest. The other attributes of
     * a name, their order and separator are labels the rules never compare across lists.
     */
    static String signer(TrustList list) {
        return cn(list.file().signer().name()) + " (" + list.file().digest().displayName() + ")";
    }

    /**
     * The records as the phones' rules see them, sorted: role, the certificate's common name and its issuer's, and the
     * key size. Whether a record carries the certificate or only its hash, and the records' order, change no decision.
     */
    static List<String> records(TrustList list) {
        List<String> out = new ArrayList<>();
        for (TrustRecord r : list.records()) {
            String bits = r.publicKey().filter(RSAPublicKey.class::isInstance)
                    .map(k -> ((RSAPublicKey) k).getModulus().bitLength() + "-bit RSA").orElse("no RSA key");
            out.add(r.roleName() + " " + cn(r.subjectName()) + " issued by " + cn(r.issuerName()) + ", " + bits
                    + (r.isBlank() ? ", blank" : ""));
        }
        out.sort(null);
        return out;
    }

    /** The CN of a name written with ';' or ',' between attributes; the whole name when it has none. */
    private static String cn(String name) {
        for (String part : name.split("[;,]")) {
            String t = part.strip();
            if (t.regionMatches(true, 0, "CN=", 0, 3)) {
                return t.substring(3);
            }
        }
        return name;
    }

    private static Optional<TrustList> parse(byte[] b, TrustListKind kind) {
        try {
            return Optional.of(TrustList.parse(b, kind));
        } catch (MalformedFileException e) {
            return Optional.empty();
        }
    }
}
