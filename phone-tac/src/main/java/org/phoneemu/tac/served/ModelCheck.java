package org.phoneemu.tac.served;

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

/**
 * Compares what a model's cluster serves with what the live cluster serves, as the phones' rules see files: for
 * each trust list its signer, digest and records (role, name, certificate or hash, key size); for each device which
 * files exist. Keys, serials and timestamps are not compared: they are the model's own.
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
        List<String> ls = shape(l.get());
        List<String> ms = shape(m.get());
        for (int i = 0; i < Math.max(ls.size(), ms.size()); i++) {
            String a = i < ls.size() ? ls.get(i) : "nothing";
            String b = i < ms.size() ? ms.get(i) : "nothing";
            if (!a.equals(b)) {
                out.add(what + " " + (i == 0 ? "signer" : "record " + i) + ": served " + a + ", model " + b);
            }
        }
    }

    /** The list as the phones' rules read it: the signer first, then each record. */
    static List<String> shape(TrustList list) {
        List<String> out = new ArrayList<>();
        out.add(list.file().signer().name() + " (" + list.file().digest().displayName() + ")");
        for (TrustRecord r : list.records()) {
            String bits = r.publicKey().filter(RSAPublicKey.class::isInstance)
                    .map(k -> ((RSAPublicKey) k).getModulus().bitLength() + "-bit RSA").orElse("no RSA key");
            out.add(r.roleName() + " " + r.subjectName() + " issued by " + r.issuerName() + ", "
                    + (r.certificateDer().isPresent() ? "certificate" : r.certHash().isPresent() ? "hash" : "blank") + ", " + bits);
        }
        return out;
    }

    private static Optional<TrustList> parse(byte[] b, TrustListKind kind) {
        try {
            return Optional.of(TrustList.parse(b, kind));
        } catch (MalformedFileException e) {
            return Optional.empty();
        }
    }
}
