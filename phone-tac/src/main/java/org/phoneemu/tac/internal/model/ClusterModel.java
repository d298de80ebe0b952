package org.phoneemu.tac.internal.model;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.core.config.CallManagerEntry;
import org.phoneemu.core.config.ConfigException;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.tac.served.Device;
import org.phoneemu.tac.served.NodeFiles;
import org.phoneemu.tac.served.ServedCluster;

/**
 * A cluster file for the simulated cluster that serves files of the same shape as a live cluster does: the same
 * nodes, host names and domains, the same records in its ITL (roles, names, key sizes, which certificate signs),
 * the same digest and name style, CTL or not, the same CallManager groups and per-device settings. Only the keys
 * differ: the live cluster's private keys are not in its files, so the model's cluster makes its own. The phones'
 * rules look at who signed a file and whether that signer is listed or known to TVS, never at the key's bits, so a
 * change applied to the model does to its phones what the same change does to the live cluster's phones, as far as
 * the files show the cluster. What the files do not show (the hold timer's last start, tomcat's key, nodes that
 * neither serve TFTP nor run TVS) takes CUCM's defaults and is said in {@link #notes()}.
 */
public final class ClusterModel {
    private static final Set<String> SUBJECT_KEYS = Set.of("OU", "O", "L", "ST", "C");
    private static final List<Integer> KEY_SIZES = List.of(1024, 2048, 4096);

    private final ModelledCluster cluster;
    private final String yaml;
    private final List<String> notes;
    private final boolean itlSignedByRecovery;
    private final String publisher;

    private ClusterModel(ModelledCluster cluster, String yaml, List<String> notes, boolean itlSignedByRecovery, String publisher) {
        this.cluster = cluster;
        this.yaml = yaml;
        this.notes = List.copyOf(notes);
        this.itlSignedByRecovery = itlSignedByRecovery;
        this.publisher = publisher;
    }

    /** The cluster file, in the schema of config/clusters/README.md, as {@link ClusterModelYaml} writes {@link #cluster()}. */
    public String yaml() {
        return yaml;
    }

    /** The inferred cluster, as values. */
    ModelledCluster cluster() {
        return cluster;
    }

    /** What the model had to assume, each in one line. */
    public List<String> notes() {
        return notes;
    }

    /**
     * True when the served ITL is signed by the ITLRecovery key (after {@code utils itl reset}): the model's cluster
     * reaches that state by running the same command on {@link #publisher()} before anything else.
     */
    public boolean itlSignedByRecovery() {
        return itlSignedByRecovery;
    }

    /** The host name of the model's publisher. */
    public String publisher() {
        return publisher;
    }

    /** One node as the files show it. */
    private static final class NodeShape {
        final String fqdn;
        boolean tftp;
        Integer callManagerBits;
        Integer tvsBits;
        Integer recoveryBits;
        String recoveryCommonName;

        NodeShape(String fqdn) {
            this.fqdn = fqdn;
        }

        String hostname() {
            int dot = fqdn.indexOf('.');
            return dot < 0 ? fqdn : fqdn.substring(0, dot);
        }

        Optional<String> domain() {
            int dot = fqdn.indexOf('.');
            return dot < 0 ? Optional.empty() : Optional.of(fqdn.substring(dot + 1));
        }
    }

    /** Builds the model of {@code live}; a cluster whose files cannot be modelled gets a one-line reason. */
    public static ClusterModel of(ServedCluster live) throws ModelException {
        Inference in = new Inference(live);
        ModelledCluster cluster = in.cluster();
        return new ClusterModel(cluster, ClusterModelYaml.write(cluster), in.notes, in.signedByRecovery(), in.pub.hostname());
    }

    /** The cluster the served files show, read in steps; {@link #notes} collects what had to be assumed. */
    private static final class Inference {
        final ServedCluster live;
        final List<String> notes = new ArrayList<>();
        final Map<String, NodeShape> nodes = new LinkedHashMap<>();
        final List<TrustList> itls = new ArrayList<>();
        final TrustList first;
        final TrustRecord callManager;
        final X509Certificate cmCert;
        final String style;
        final String separator;
        String capfName;
        Integer capfBits;
        NodeShape pub;
        String recoveryCn;
        /** CallManager groups by their members' FQDNs. */
        final Map<List<String>, String> groups = new LinkedHashMap<>();
        final List<ModelledCluster.DeviceEntry> devices = new ArrayList<>();
        boolean mixed;
        String ctlSigner = "tokenless";
        String etokenName;
        Integer etokenBits;

        Inference(ServedCluster live) throws ModelException {
            this.live = live;
            readItls();
            first = itls.get(0);
            if (first.isBlank()) {
                throw new ModelException(live.firstNode().node() + " serves a blank ITL (\"Prepare Cluster for Rollback to pre 8.0\" is set):"
                        + " its records name no node, so there is nothing to model; phones trust the next ITL on first use");
            }
            callManager = callManagerRecord(first, live.firstNode().node());
            cmCert = callManager.certificate().orElseThrow(() -> new ModelException(live.firstNode().node()
                    + " ITLFile.tlv: the CallManager record carries no certificate"));
            style = callManager.subjectName().contains(";") ? "CUCM" : "RFC4514";
            separator = style.equals("CUCM") ? ";" : ",";
            nodesOfTheItls();
            publisher();
            groupsAndDevices();
            ctl();
        }

        private void readItls() throws ModelException {
            for (NodeFiles n : live.nodes()) {
                byte[] bytes = n.get("ITLFile.tlv").orElseThrow(() -> new ModelException(n.node()
                        + " serves no ITLFile.tlv: a cluster without an ITL gives its phones nothing to verify with, and there is nothing to model"));
                try {
                    itls.add(TrustList.parse(bytes, TrustListKind.ITL));
                } catch (MalformedFileException e) {
                    throw new ModelException(n.node() + " ITLFile.tlv does not parse: " + e.getMessage());
                }
            }
        }

        /** The CallManager record of the ITL node {@code i} serves. */
        private TrustRecord callManagerOf(int i) throws ModelException {
            return i == 0 ? callManager : callManagerRecord(itls.get(i), live.nodes().get(i).node());
        }

        /** Each ITL's TFTP node, the TVS nodes its records name, and the CAPF's name. */
        private void nodesOfTheItls() throws ModelException {
            for (int i = 0; i < itls.size(); i++) {
                TrustRecord cm = callManagerOf(i);
                NodeShape n = node(nodes, cn(cm, separator));
                n.tftp = true;
                n.callManagerBits = bits(cm);
                for (TrustRecord r : itls.get(i).records()) {
                    if (r.hasRole(Role.TVS)) {
                        NodeShape t = node(nodes, cn(r, separator));
                        t.tvsBits = bits(r);
                    } else if (r.hasRole(Role.CAPF) && capfName == null) {
                        capfName = cn(r, separator);
                        capfBits = bits(r);
                    }
                }
            }
        }

        /**
         * The publisher: the ITLRecovery record names it (ITLRECOVERY_&lt;publisher's FQDN&gt;, or a name given at install
         * whose host name is still the publisher's); failing that, the first TFTP node.
         */
        private void publisher() {
            TrustRecord recovery = recoveryRecord(first, callManager);
            recoveryCn = recovery == null ? null : attributes(recovery.subjectName(), separator).get("CN");
            String named = recoveryCn != null && recoveryCn.toUpperCase(Locale.ROOT).startsWith("ITLRECOVERY_")
                    ? recoveryCn.substring("ITLRECOVERY_".length()) : null;
            pub = named == null ? null : nodes.get(named.toLowerCase(Locale.ROOT));
            if (pub == null && named != null) {
                String host = new NodeShape(named).hostname();
                pub = nodes.values().stream().filter(n -> n.hostname().equalsIgnoreCase(host)).findFirst().orElseGet(() -> node(nodes, named));
            }
            if (pub == null) {
                pub = node(nodes, cn(callManager, separator));
                notes.add("the ITLRecovery record's name (" + recoveryCn + ") does not name the publisher; the first TFTP node is taken as publisher");
            }
            if (recovery == null) {
                notes.add("the served ITL has no ITLRecovery record; the model's has one (CUCM 10 and later always write it)");
            } else {
                pub.recoveryBits = bits(recovery);
                if (recoveryCn != null && !recoveryCn.equalsIgnoreCase("ITLRECOVERY_" + pub.fqdn)) {
                    pub.recoveryCommonName = recoveryCn;
                }
            }
        }

        /** CallManager groups: the default configuration's and each device's, by their member lists. */
        private void groupsAndDevices() throws ModelException {
            NodeFiles firstNode = live.firstNode();
            Optional<PhoneConfig> xmlDefault = firstNode.get("XMLDefault.cnf.xml").flatMap(ClusterModel::config);
            // The addresses the cluster was read at name their nodes.
            Aliases aliases = new Aliases();
            for (int i = 0; i < itls.size(); i++) {
                String cm = cn(callManagerOf(i), separator);
                aliases.nodeOf().put(live.nodes().get(i).address().toLowerCase(Locale.ROOT), cm.toLowerCase(Locale.ROOT));
            }
            List<String> defaultMembers = resolve(xmlDefault.map(ClusterModel::members).orElse(List.of()), nodes, aliases, notes);
            if (!defaultMembers.isEmpty()) {
                groups.put(defaultMembers, "Default");
            }
            for (Device d : live.devices()) {
                device(d, firstNode, groups, nodes, aliases, notes).ifPresent(devices::add);
            }
            boolean deviceInDefault = devices.stream().anyMatch(e -> e.group().equals("Default"));
            if (!groups.containsValue("Default") && (groups.isEmpty() || deviceInDefault)) {
                // Devices whose config names no group (or no configuration at all) are in a group of every TVS node.
                List<String> tvsNodes = nodes.values().stream().filter(n -> n.tvsBits != null).map(n -> n.fqdn).limit(5).toList();
                List<String> members = tvsNodes.isEmpty() ? List.of(pub.fqdn) : tvsNodes;
                String same = groups.get(members);
                if (same == null) {
                    groups.put(members, "Default");
                } else {
                    devices.replaceAll(e -> e.group().equals("Default") ? e.inGroup(same) : e);
                }
                notes.add("no XMLDefault.cnf.xml names a CallManager group: the default group is taken as every TVS node");
            }
            for (List<String> members : groups.keySet()) {
                for (String m : members) {
                    node(nodes, m);
                }
            }
            for (NodeShape n : nodes.values()) {
                if (n.tvsBits != null && !groupsContain(groups, n.fqdn)) {
                    notes.add(n.fqdn + " has a TVS record but no configuration read lists it in a CallManager group");
                }
            }
        }

        /** The CTL: mixed mode, and whether a cluster eToken or the publisher's CallManager key signs it. */
        private void ctl() {
            Optional<byte[]> ctlBytes = live.firstNode().get("CTLFile.tlv");
            if (ctlBytes.isEmpty()) {
                return;
            }
            try {
                TrustList ctl = TrustList.parse(ctlBytes.get(), TrustListKind.CTL);
                mixed = true;
                String signer = attributes(ctl.file().signer().name(), separator).getOrDefault("CN", "");
                if (!signer.equalsIgnoreCase(pub.fqdn)) {
                    ctlSigner = "etoken";
                    etokenName = signer;
                    etokenBits = ctl.signerRecord().map(ClusterModel::bits).orElse(null);
                }
                for (TrustRecord r : ctl.records()) {
                    if (r.hasRole(Role.CCM_TFTP) || r.hasRole(Role.CCM)) {
                        NodeShape n = node(nodes, cn(r, separator));
                        if (n.callManagerBits == null) {
                            n.callManagerBits = bits(r);
                        }
                    }
                }
            } catch (MalformedFileException e) {
                notes.add("CTLFile.tlv does not parse (" + e.getMessage() + "): the model is not in mixed mode");
            }
        }

        boolean signedByRecovery() {
            String signerCn = attributes(first.file().signer().name(), separator).getOrDefault("CN", "");
            return recoveryCn != null && signerCn.equalsIgnoreCase(recoveryCn);
        }

        /** Nodes in the order the cluster lists them: the publisher, then as the ITLs' records and the groups name them. */
        private List<NodeShape> ordered() throws ModelException {
            List<NodeShape> ordered = new ArrayList<>();
            ordered.add(pub);
            for (NodeShape n : nodes.values()) {
                if (n != pub) {
                    ordered.add(n);
                }
            }
            for (NodeShape n : ordered) {
                if (n.domain().isEmpty()) {
                    throw new ModelException("the node name " + n.fqdn + " in the served files has no domain: cannot model it as a CUCM node");
                }
                if (!n.hostname().matches("[A-Za-z0-9][A-Za-z0-9-]{0,62}")) {
                    throw new ModelException("the node name " + n.fqdn + " in the served files is not a host name");
                }
            }
            if (ordered.stream().map(n -> n.hostname().toLowerCase(Locale.ROOT)).distinct().count() != ordered.size()) {
                throw new ModelException("two nodes of the served files share a host name in different domains: "
                        + ordered.stream().map(n -> n.fqdn.toLowerCase(Locale.ROOT)).distinct().toList());
            }
            return ordered;
        }

        /** The model as values, in the cluster file's terms. */
        ModelledCluster cluster() throws ModelException {
            List<NodeShape> ordered = ordered();
            int serialBytes = first.records().stream().filter(r -> r.hasRole(Role.TVS)).findFirst().map(r -> r.serial().length())
                    .orElse(callManager.serial().length());
            int defaultBits = pub.callManagerBits != null ? pub.callManagerBits : Optional.ofNullable(bits(callManager)).orElse(2048);
            Map<String, String> subject = attributes(callManager.subjectName(), separator);
            Optional<Map<String, String>> kept = Optional.empty();
            if (!subject.isEmpty()) {
                Map<String, String> keep = new LinkedHashMap<>();
                subject.forEach((k, v) -> {
                    if (SUBJECT_KEYS.contains(k)) {
                        keep.put(k, v);
                    } else if (!k.equals("CN")) {
                        notes.add("the subject attribute " + k + "=" + v + " is left out of the model's certificates");
                    }
                });
                kept = Optional.of(keep);
            }
            int defaultSize = size(defaultBits, "CallManager", notes);
            Optional<Integer> capfSize = capfBits == null ? Optional.empty() : Optional.of(size(capfBits, "CAPF", notes));
            Optional<Integer> etokenSize = etokenBits == null ? Optional.empty() : Optional.of(size(etokenBits, "eToken", notes));
            boolean caSigned = !cmCert.getIssuerX500Principal().equals(cmCert.getSubjectX500Principal());
            Optional<ModelledCluster.CallManagerCa> ca = caSigned
                    ? Optional.of(new ModelledCluster.CallManagerCa(attributes(callManager.issuerName(), separator).getOrDefault("CN", "CA"),
                            Math.max(1, Math.min(20, callManager.serial().length()))))
                    : Optional.empty();
            ModelledCluster.Settings settings = new ModelledCluster.Settings("model-" + pub.hostname(), pub.domain().orElseThrow(), style,
                    first.file().digest().name(), Math.max(1, Math.min(20, serialBytes)), kept, defaultSize, capfSize, etokenSize,
                    callManager.hasRole(Role.TFTP) ? "TFTP" : "CCM+TFTP", mixed, ctlSigner, Optional.ofNullable(capfName),
                    Optional.ofNullable(etokenName), ca);

            List<ModelledCluster.Node> modelNodes = new ArrayList<>();
            Map<String, String> hostnames = new LinkedHashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                NodeShape n = ordered.get(i);
                hostnames.put(n.fqdn.toLowerCase(Locale.ROOT), n.hostname());
                Map<String, Integer> sizes = new LinkedHashMap<>();
                if (n.callManagerBits != null && n.callManagerBits != defaultBits) {
                    sizes.put("CallManager", size(n.callManagerBits, "CallManager", notes));
                }
                if (n.tvsBits != null && n.tvsBits != defaultBits) {
                    sizes.put("TVS", size(n.tvsBits, "TVS", notes));
                }
                if (n.recoveryBits != null && n.recoveryBits != defaultBits) {
                    sizes.put("ITLRecovery", size(n.recoveryBits, "ITLRecovery", notes));
                }
                Optional<String> domain = n.domain().filter(d -> !d.equalsIgnoreCase(pub.domain().orElseThrow()));
                modelNodes.add(new ModelledCluster.Node(n.hostname(), domain, "127.0.0." + (i + 1), n.tftp, sizes,
                        Optional.ofNullable(n.recoveryCommonName)));
            }
            List<ModelledCluster.Group> modelGroups = groups.entrySet().stream().map(g -> new ModelledCluster.Group(g.getValue(),
                    g.getKey().stream().map(m -> hostnames.get(m.toLowerCase(Locale.ROOT))).toList())).toList();
            return new ModelledCluster(live.label(), settings, modelNodes, modelGroups, devices);
        }
    }

    /** A device's entry of the cluster file from its served config, or empty when the cluster serves it none. */
    private static Optional<ModelledCluster.DeviceEntry> device(Device d, NodeFiles node, Map<List<String>, String> groups,
                                                               Map<String, NodeShape> nodes, Aliases aliases, List<String> notes)
            throws ModelException {
        String name = d.name();
        boolean encrypted = node.has(name + ".cnf.xml.enc.sgn");
        Optional<byte[]> signed = node.get(name + ".cnf.xml.sgn");
        Optional<PhoneConfig> config = signed.flatMap(b -> {
            try {
                return config(SignedFile.parse(b).body());
            } catch (MalformedFileException e) {
                notes.add(name + ".cnf.xml.sgn does not parse (" + e.getMessage() + "): its settings are CUCM's defaults");
                return Optional.empty();
            }
        }).or(() -> node.get(name + ".cnf.xml").flatMap(ClusterModel::config));
        if (config.isEmpty() && !encrypted) {
            if (signed.isEmpty()) {
                notes.add(name + " has no configuration file on " + node.node() + ": it boots with XMLDefault.cnf.xml, as an unknown phone");
                return Optional.empty();
            }
        }
        String group = "Default";
        List<String> members = resolve(config.map(ClusterModel::members).orElse(List.of()), nodes, aliases, notes);
        if (!members.isEmpty()) {
            group = groups.computeIfAbsent(members, m -> "Group" + (groups.size() + 1));
        } else if (encrypted) {
            notes.add(name + "'s configuration is encrypted to its LSC: its CallManager group is taken as the default one");
        }
        Optional<Integer> securityMode = Optional.empty();
        Map<String, String> access = new LinkedHashMap<>();
        Map<String, String> extra = new LinkedHashMap<>();
        Optional<String> load = Optional.empty();
        if (config.isPresent()) {
            PhoneConfig c = config.get();
            if (!c.isEncryptedStub()) {
                securityMode = c.deviceSecurityMode().filter(m -> m >= 1 && m <= 3);
                c.vendorConfig().values().forEach((k, v) -> {
                    if (List.of("settingsAccess", "webAccess", "sshAccess", "spanToPCPort", "webProtocol").contains(k)) {
                        if (v.strip().matches("\\d{1,3}")) {
                            access.put(k, v.strip());
                        }
                    } else if (k.matches("[A-Za-z][A-Za-z0-9_]*")) {
                        extra.put(k, v);
                    }
                });
            }
            load = c.loadInformation().filter(l -> !l.isBlank());
        }
        return Optional.of(new ModelledCluster.DeviceEntry(d, group, encrypted, securityMode, access, extra, load));
    }

    private static NodeShape node(Map<String, NodeShape> nodes, String fqdn) {
        return nodes.computeIfAbsent(fqdn.toLowerCase(Locale.ROOT), k -> new NodeShape(fqdn));
    }

    /**
     * A group's members as the nodes' FQDNs. A configuration may name a node by FQDN, by host name or by address. An
     * address is the node's when it is one the cluster was read at ({@code aliases} starts with those); any other
     * address takes the next TVS node of the ITL's order no address has taken yet (CUCM lists a group's TVS servers in
     * the group's order), the same node for that address in every group, and a note says so.
     */
    /** What names a node besides its FQDN: the addresses it was read at, and unknown addresses taken as a TVS node. */
    private record Aliases(Map<String, String> nodeOf, Set<String> guessed) {
        Aliases() {
            this(new LinkedHashMap<>(), new java.util.HashSet<>());
        }
    }

    private static List<String> resolve(List<String> raw, Map<String, NodeShape> nodes, Aliases aliases, List<String> notes)
            throws ModelException {
        List<String> out = new ArrayList<>();
        for (String m : raw) {
            String key = m.toLowerCase(Locale.ROOT);
            NodeShape n = nodes.get(key);
            if (n == null && aliases.nodeOf().containsKey(key)) {
                n = nodes.get(aliases.nodeOf().get(key));
            }
            if (n == null && m.indexOf('.') < 0) {
                n = nodes.values().stream().filter(x -> x.hostname().equalsIgnoreCase(m)).findFirst().orElse(null);
            }
            if (n == null && !m.matches("[0-9.]+|.*:.*")) {
                out.add(m); // a node the trust lists do not show: modelled by its name
                continue;
            }
            if (n == null) {
                n = nodes.values().stream().filter(x -> x.tvsBits != null && !aliases.guessed().contains(x.fqdn.toLowerCase(Locale.ROOT)))
                        .findFirst().orElseThrow(() -> new ModelException("the CallManager group member " + m
                                + " of a served configuration matches no node of the trust lists"));
                aliases.nodeOf().put(key, n.fqdn.toLowerCase(Locale.ROOT));
                aliases.guessed().add(n.fqdn.toLowerCase(Locale.ROOT));
                notes.add("the CallManager group member " + m + " is taken as " + n.fqdn + " (the next TVS record of the ITL)");
            }
            if (!out.contains(n.fqdn)) {
                out.add(n.fqdn);
            }
        }
        return out;
    }

    private static boolean groupsContain(Map<List<String>, String> groups, String fqdn) {
        return groups.keySet().stream().anyMatch(g -> g.stream().anyMatch(m -> m.equalsIgnoreCase(fqdn)));
    }

    /** The members of a configuration's CallManager group, as FQDNs in priority order. */
    private static List<String> members(PhoneConfig c) {
        return c.callManagers().stream().sorted(java.util.Comparator.comparingInt(CallManagerEntry::priority))
                .map(CallManagerEntry::processNodeName).map(String::strip).filter(s -> !s.isBlank()).toList();
    }

    private static Optional<PhoneConfig> config(byte[] xml) {
        try {
            return Optional.of(PhoneConfigParser.parse(xml));
        } catch (ConfigException e) {
            return Optional.empty();
        }
    }

    /** The node's CallManager record: the TFTP or CCM+TFTP one. */
    private static TrustRecord callManagerRecord(TrustList itl, String node) throws ModelException {
        return itl.records().stream().filter(r -> r.hasRole(Role.CCM_TFTP) || r.hasRole(Role.TFTP)).findFirst()
                .orElseThrow(() -> new ModelException(node + " ITLFile.tlv has no TFTP or CCM+TFTP record: it names no TFTP node"));
    }

    /** The SAST record that is not the CallManager certificate: the ITLRecovery one. */
    private static TrustRecord recoveryRecord(TrustList itl, TrustRecord callManager) {
        for (TrustRecord r : itl.recordsWithRole(Role.SAST)) {
            if (!r.serial().equals(callManager.serial()) || !r.issuerName().equals(callManager.issuerName())) {
                return r;
            }
        }
        return null;
    }

    private static String cn(TrustRecord r, String separator) {
        return attributes(r.subjectName(), separator).getOrDefault("CN", r.subjectName());
    }

    /** {@code CN=a;OU=b;...} as attribute → value, in order. */
    static Map<String, String> attributes(String name, String separator) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : name.split(java.util.regex.Pattern.quote(separator))) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(part.substring(0, eq).strip().toUpperCase(Locale.ROOT), part.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static Integer bits(TrustRecord r) {
        Optional<PublicKey> k = r.publicKey();
        return k.filter(RSAPublicKey.class::isInstance).map(p -> ((RSAPublicKey) p).getModulus().bitLength()).orElse(null);
    }

    /** A key size the model's cluster can make: the served one, or the nearest it can (said in a note). */
    private static int size(int bits, String unit, List<String> notes) {
        if (KEY_SIZES.contains(bits)) {
            return bits;
        }
        int nearest = KEY_SIZES.stream().min(java.util.Comparator.comparingInt(s -> Math.abs(s - bits))).orElseThrow();
        String note = "a " + bits + "-bit " + unit + " key is modelled as " + nearest + " bits";
        if (!notes.contains(note)) {
            notes.add(note);
        }
        return nearest;
    }
}
