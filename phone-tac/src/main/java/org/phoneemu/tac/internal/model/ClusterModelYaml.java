package org.phoneemu.tac.internal.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a {@link ModelledCluster} as a cluster file (config/clusters/README.md): the model's one writer. */
final class ClusterModelYaml {
    private ClusterModelYaml() {
    }

    static String write(ModelledCluster m) {
        ModelledCluster.Settings s = m.settings();
        StringBuilder y = new StringBuilder();
        y.append("# A model of what ").append(m.source()).append(" serves, made by phone-emu predict: the same nodes, ITL records,\n")
                .append("# names, key sizes, digest, groups and device settings, with keys of its own.\n");
        y.append("cluster:\n");
        y.append("  name: ").append(q(s.name())).append('\n');
        y.append("  domain: ").append(q(s.domain())).append('\n');
        y.append("  nameStyle: ").append(s.nameStyle()).append('\n');
        y.append("  digest: ").append(s.digest()).append('\n');
        y.append("  serialBytes: ").append(s.serialBytes()).append('\n');
        s.subject().ifPresent(kept -> y.append("  subject: {").append(pairs(kept)).append("}\n"));
        y.append("  keySizes: {default: ").append(s.defaultKeyBits());
        s.capfKeyBits().ifPresent(b -> y.append(", CAPF: ").append(b));
        s.etokenKeyBits().ifPresent(b -> y.append(", eToken: ").append(b));
        y.append("}\n");
        y.append("  itlTftpRole: ").append(s.itlTftpRole()).append('\n');
        y.append("  mixedMode: ").append(s.mixedMode()).append('\n');
        y.append("  ctlSigner: ").append(s.ctlSigner()).append('\n');
        y.append("  rollback: false\n");
        s.capfName().ifPresent(n -> y.append("  capfName: ").append(q(n)).append('\n'));
        s.etokenName().ifPresent(n -> y.append("  etokenName: ").append(q(n)).append('\n'));
        s.callManagerCa().ifPresent(ca -> y.append("  callManagerCa: {commonName: ").append(q(ca.commonName())).append(", serialBytes: ")
                .append(ca.serialBytes()).append("}\n"));
        y.append("nodes:\n");
        for (ModelledCluster.Node n : m.nodes()) {
            y.append("  - hostname: ").append(q(n.hostname())).append('\n');
            n.domain().ifPresent(d -> y.append("    domain: ").append(q(d)).append('\n'));
            y.append("    address: ").append(n.address()).append('\n');
            y.append("    tftp: ").append(n.tftp()).append('\n');
            if (!n.keySizes().isEmpty()) {
                List<String> sizes = new ArrayList<>();
                n.keySizes().forEach((unit, bits) -> sizes.add(unit + ": " + bits));
                y.append("    keySizes: {").append(String.join(", ", sizes)).append("}\n");
            }
            n.itlRecoveryCommonName().ifPresent(cn -> y.append("    itlRecoveryCommonName: ").append(q(cn)).append('\n'));
        }
        y.append("groups:\n");
        for (ModelledCluster.Group g : m.groups()) {
            y.append("  - name: ").append(q(g.name())).append('\n');
            y.append("    members: [").append(String.join(", ", g.members().stream().map(ClusterModelYaml::q).toList())).append("]\n");
        }
        if (!m.devices().isEmpty()) {
            y.append("devices:\n");
            m.devices().forEach(e -> device(y, e));
        }
        return y.toString();
    }

    private static void device(StringBuilder y, ModelledCluster.DeviceEntry e) {
        y.append("  - mac: \"").append(e.device().mac()).append("\"\n    model: ").append(q(e.device().model())).append("\n    group: ")
                .append(q(e.group())).append('\n');
        if (e.lscEncryption()) {
            y.append("    lsc: true\n    encryption: true\n");
        }
        e.securityMode().ifPresent(m -> y.append("    securityMode: ").append(m).append('\n'));
        e.access().forEach((k, v) -> y.append("    ").append(k).append(": ").append(v).append('\n'));
        if (!e.vendorConfig().isEmpty()) {
            y.append("    vendorConfig: {").append(pairs(e.vendorConfig())).append("}\n");
        }
        e.loadInformation().ifPresent(l -> y.append("    loadInformation: ").append(q(l)).append('\n'));
    }

    /** {@code key: "value", ...} of a flow mapping. */
    private static String pairs(Map<String, String> m) {
        return String.join(", ", m.entrySet().stream().map(e -> e.getKey() + ": " + q(e.getValue())).toList());
    }

    /** A YAML double-quoted scalar. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i)); // a whole supplementary character is printable
            } else if (Character.isSurrogate(c)) {
                b.append('\ufffd'); // a lone half of a pair is no character at all
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0xfffe || c == 0xffff) {
                // YAML allows none of these as they are, even quoted: written as escapes.
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
