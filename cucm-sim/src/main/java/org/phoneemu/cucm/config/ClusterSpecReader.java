package org.phoneemu.cucm.config;

import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.core.sip.SipTransport;

import io.netty.util.NetUtil;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.cucm.pki.CertificateIssuer;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Turns a cluster file's YAML into a {@link ClusterSpec}, rejecting unknown keys and impossible values. */
final class ClusterSpecReader {
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Set<Integer> KEY_SIZES = Set.of(1024, 2048, 4096);
    private static final Set<String> KEY_NAMES = Set.of("default", "CallManager", "TVS", "tomcat", "ITLRecovery", "CAPF", "eToken", "LSC");

    private final String source;
    private final Path baseDir;

    private ClusterSpecReader(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    static ClusterSpec read(String yaml, String source, Path baseDir) throws ClusterSpecException {
        Object root;
        try {
            // compose, not load: every scalar stays the text that was written, so a MAC such as 001122334455 is
            // not read as an octal number and "no" is not a boolean.
            root = plain(new Yaml(new SafeConstructor(YamlLimits.loaderOptions())).compose(new StringReader(yaml)), 0);
        } catch (YAMLException e) {
            throw new ClusterSpecException(source + ": not valid YAML" + YamlLimits.problem(e));
        }
        if (!(root instanceof Map<?, ?>)) {
            throw new ClusterSpecException(source + ": must be a YAML mapping with 'cluster', 'nodes', 'groups' and 'devices'");
        }
        ClusterSpecReader reader = new ClusterSpecReader(source, baseDir);
        return reader.spec(reader.new Value("", root));
    }

    static final int MAX_DEPTH = YamlLimits.MAX_DEPTH;

    /** A YAML node as maps, lists and strings ({@code null} for an empty or null scalar). */
    private static Object plain(org.yaml.snakeyaml.nodes.Node node, int depth) {
        if (node == null) {
            return null;
        }
        if (depth > MAX_DEPTH) {
            // An alias that holds itself (&a [*a]) composes to a cycle: without this, a stack overflow.
            throw new YAMLException("nested deeper than " + MAX_DEPTH + " levels, or an alias that contains itself ("
                    + "line " + (node.getStartMark().getLine() + 1) + ")");
        }
        if (node instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String key = String.valueOf(plain(t.getKeyNode(), depth + 1));
                if (out.containsKey(key)) {
                    throw new YAMLException("duplicate key '" + key + "'" + t.getKeyNode().getStartMark());
                }
                out.put(key, plain(t.getValueNode(), depth + 1));
            }
            return out;
        }
        if (node instanceof SequenceNode q) {
            List<Object> out = new ArrayList<>();
            for (org.yaml.snakeyaml.nodes.Node n : q.getValue()) {
                out.add(plain(n, depth + 1));
            }
            return out;
        }
        ScalarNode scalar = (ScalarNode) node;
        String v = scalar.getValue();
        if (scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && (v.isEmpty() || v.equals("~") || v.equals("null"))) {
            return null;
        }
        return v;
    }

    /** The ports every node uses unless the cluster's {@code ports} or the node's own say otherwise. */
    private static final Map<String, Integer> DEFAULT_PORTS = Map.of("tftp", NodeSpec.DEFAULT_TFTP_PORT,
            "tvs", NodeSpec.DEFAULT_TVS_PORT, "https", NodeSpec.DEFAULT_HTTPS_PORT, "capf", NodeSpec.DEFAULT_CAPF_PORT,
            "sip", NodeSpec.DEFAULT_SIP_PORT, "sips", NodeSpec.DEFAULT_SIPS_PORT);

    private ClusterSpec spec(Value root) throws ClusterSpecException {
        root.allow("cluster", "nodes", "groups", "devices", "directory");
        Value c = root.child("cluster").orElse(new Value("cluster", Map.of()));
        c.allow("name", "domain", "securityPassword", "nameStyle", "digest", "serialBytes", "subject", "keySizes",
                "itlTftpRole", "mixedMode", "ctlSigner", "rollback", "tvsTtl", "timeZone", "capfName", "holdTimer", "ports",
                "callManagerCa", "etokenName", "provisioning", "manufacturingRoots", "keepAliveExpires");
        String domain = c.string("domain", "lab.example");
        checkDomain(c.path("domain"), domain);
        Map<String, Integer> keySizes = keySizes(c.child("keySizes"), KEY_NAMES);
        Map<String, Integer> defaultPorts = ports(c.child("ports"), DEFAULT_PORTS);

        List<NodeSpec> nodes = nodes(root, defaultPorts);
        List<GroupSpec> groups = groups(root, nodes);
        List<DeviceSpec> devices = devices(root, groups);
        List<DirectoryEntry> directory = directory(root);

        String password = securityPassword(c);
        int serialBytes = serialBytes(c);
        Duration ttl = nonNegativeSeconds(c, "tvsTtl", 86400);
        Duration hold = nonNegativeSeconds(c, "holdTimer", 300);
        Optional<String> capfName = c.optionalString("capfName");
        return new ClusterSpec(
                c.string("name", nodes.get(0).hostname()),
                domain,
                password,
                nameStyle(c),
                digest(c),
                serialBytes,
                subject(c.child("subject")),
                keySizes,
                itlTftpRole(c),
                c.bool("mixedMode", false),
                ctlSigner(c),
                c.bool("rollback", false),
                ttl,
                zone(c),
                capfName,
                hold,
                nodes, groups, devices, directory, callManagerCa(c), c.optionalString("etokenName"), provisioning(c),
                manufacturingRoots(c), keepAliveExpires(c));
    }

    /** {@code keepAliveExpires: 120}: seconds the registrar grants a REGISTER, 1 to 3600. */
    private Duration keepAliveExpires(Value c) throws ClusterSpecException {
        Duration d = nonNegativeSeconds(c, "keepAliveExpires", (int) ClusterSpec.DEFAULT_KEEP_ALIVE_EXPIRES.toSeconds());
        if (d.isZero() || d.toSeconds() > 3600) {
            throw new ClusterSpecException(source + ": cluster.keepAliveExpires is the seconds the registrar grants a REGISTER, 1 to 3600, not "
                    + d.toSeconds());
        }
        return d;
    }

    private String securityPassword(Value c) throws ClusterSpecException {
        String password = c.string("securityPassword", "ciscocisco");
        if (password.isEmpty()) {
            throw new ClusterSpecException(source + ": cluster.securityPassword must not be empty (it protects ITLRecovery.p12)");
        }
        return password;
    }

    private int serialBytes(Value c) throws ClusterSpecException {
        long serialBytes = c.integer("serialBytes", 16);
        if (serialBytes < 1 || serialBytes > 20) {
            throw new ClusterSpecException(source + ": cluster.serialBytes must be 1..20 (X.509 allows 20), not " + serialBytes);
        }
        return (int) serialBytes;
    }

    /** A cluster setting in seconds that may be zero but not negative. */
    private Duration nonNegativeSeconds(Value c, String key, long defaultSeconds) throws ClusterSpecException {
        long seconds = c.integer(key, defaultSeconds);
        if (seconds < 0) {
            throw new ClusterSpecException(source + ": cluster." + key + " must not be negative");
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * {@code manufacturingRoots: [CallManager-trust, CAPF-trust]}: the trust stores that hold the simulated manufacturing
     * CA's root when the cluster is created (absent: both; {@code []}: none, as after the MIC roots were removed).
     */
    private Set<MicTrustStore> manufacturingRoots(Value c) throws ClusterSpecException {
        if (!c.has("manufacturingRoots")) {
            return ClusterSpec.ALL_MIC_STORES;
        }
        Set<MicTrustStore> out = java.util.EnumSet.noneOf(MicTrustStore.class);
        for (Value v : c.list("manufacturingRoots")) {
            String name = v.scalar();
            out.add(MicTrustStore.fromCli(name).orElseThrow(() -> new ClusterSpecException(source + ": " + v.path + " names '" + name
                    + "', which is not a trust store that holds MIC roots (" + MicTrustStore.known() + ")")));
        }
        return out;
    }

    /** {@code provisioning: {http: true, https: false, httpPort: 6970, httpsPort: 6971}} (docs/PROTOCOLS.md §4). */
    private ProvisioningSpec provisioning(Value c) throws ClusterSpecException {
        Optional<Value> p = c.child("provisioning");
        if (p.isEmpty()) {
            return ProvisioningSpec.DEFAULTS;
        }
        Value v = p.get();
        v.allow("http", "https", "httpPort", "httpsPort");
        int[] ports = new int[2];
        String[] keys = {"httpPort", "httpsPort"};
        for (int i = 0; i < 2; i++) {
            long port = v.integer(keys[i], ProvisioningSpec.UNSET);
            if (port != ProvisioningSpec.UNSET && (port < 0 || port > 65535)) {
                throw new ClusterSpecException(source + ": " + v.path(keys[i]) + " must be a port 0..65535 (0: any free port), not " + port);
            }
            ports[i] = (int) port;
        }
        return new ProvisioningSpec(v.bool("http", true), v.bool("https", false), ports[0], ports[1]);
    }

    /** The nodes, the publisher first: each host name and address once. */
    private List<NodeSpec> nodes(Value root, Map<String, Integer> defaultPorts) throws ClusterSpecException {
        List<NodeSpec> nodes = new ArrayList<>();
        List<Value> nodeList = root.list("nodes");
        if (nodeList.isEmpty()) {
            throw new ClusterSpecException(source + ": 'nodes' must list at least one node (the publisher first)");
        }
        Set<String> names = new HashSet<>();
        Set<InetAddress> addresses = new HashSet<>();
        for (int i = 0; i < nodeList.size(); i++) {
            NodeSpec n = node(nodeList.get(i), i, defaultPorts);
            if (!names.add(n.hostname().toLowerCase(Locale.ROOT))) {
                throw new ClusterSpecException(source + ": node '" + n.hostname() + "' is declared twice");
            }
            if (!addresses.add(n.address())) {
                throw new ClusterSpecException(source + ": two nodes use the address " + n.address().getHostAddress()
                        + "; each node needs its own loopback address (127.0.0.x)");
            }
            nodes.add(n);
        }
        return nodes;
    }

    /** The CallManager groups, of declared nodes, one to five each; without any, one "Default" of the first five nodes. */
    private List<GroupSpec> groups(Value root, List<NodeSpec> nodes) throws ClusterSpecException {
        List<GroupSpec> groups = new ArrayList<>();
        for (Value g : root.list("groups")) {
            g.allow("name", "members");
            List<String> members = new ArrayList<>();
            for (Value m : g.list("members")) {
                String host = m.scalar();
                NodeSpec match = nodes.stream().filter(n -> n.hostname().equalsIgnoreCase(host)).findFirst()
                        .orElseThrow(() -> new ClusterSpecException(source + ": " + m.path + " names '" + host + "', which is not a node"));
                if (members.contains(match.hostname())) {
                    throw new ClusterSpecException(source + ": " + m.path + " lists '" + host + "' twice");
                }
                members.add(match.hostname());
            }
            if (members.isEmpty()) {
                throw new ClusterSpecException(source + ": " + g.path + " has no members");
            }
            if (members.size() > 5) {
                throw new ClusterSpecException(source + ": " + g.path + " has " + members.size() + " members; a phone takes at most five TVS servers");
            }
            GroupSpec group = new GroupSpec(g.requiredString("name"), members);
            if (groups.stream().anyMatch(x -> x.name().equals(group.name()))) {
                throw new ClusterSpecException(source + ": group '" + group.name() + "' is declared twice");
            }
            groups.add(group);
        }
        if (groups.isEmpty()) {
            groups.add(new GroupSpec("Default", nodes.stream().limit(5).map(NodeSpec::hostname).toList()));
        }
        return groups;
    }

    /** The devices, each MAC once. */
    private List<DeviceSpec> devices(Value root, List<GroupSpec> groups) throws ClusterSpecException {
        List<DeviceSpec> devices = new ArrayList<>();
        for (Value d : root.list("devices")) {
            DeviceSpec device = device(d, groups);
            if (devices.stream().anyMatch(x -> x.mac().equals(device.mac()))) {
                throw new ClusterSpecException(source + ": device " + device.mac() + " is declared twice");
            }
            devices.add(device);
        }
        return devices;
    }

    /** The directory the HTTPS service serves; two entries when the file has no {@code directory}. */
    private List<DirectoryEntry> directory(Value root) throws ClusterSpecException {
        List<DirectoryEntry> directory = new ArrayList<>();
        for (Value e : root.list("directory")) {
            e.allow("name", "telephone");
            directory.add(new DirectoryEntry(e.requiredString("name"), e.requiredString("telephone")));
        }
        if (root.child("directory").isEmpty()) {
            directory.add(new DirectoryEntry("Help Desk", "1000"));
            directory.add(new DirectoryEntry("Lab Phone", "1001"));
        }
        return directory;
    }

    private Optional<CallManagerCa> callManagerCa(Value c) throws ClusterSpecException {
        Optional<Value> ca = c.child("callManagerCa");
        if (ca.isEmpty()) {
            return Optional.empty();
        }
        Value v = ca.get();
        v.allow("commonName", "serialBytes");
        String cn = v.requiredString("commonName");
        if (cn.isBlank() || cn.length() > 64) {
            throw new ClusterSpecException(source + ": " + v.path("commonName") + " must be 1..64 characters");
        }
        long bytes = v.integer("serialBytes", 16);
        if (bytes < 1 || bytes > 20) {
            throw new ClusterSpecException(source + ": " + v.path("serialBytes") + " must be 1..20 (X.509 allows 20), not " + bytes);
        }
        return Optional.of(new CallManagerCa(cn, (int) bytes));
    }

    private NodeSpec node(Value n, int index, Map<String, Integer> defaultPorts) throws ClusterSpecException {
        n.allow("hostname", "domain", "address", "tftp", "ports", "keySizes", "itlRecoveryCommonName", "certificates");
        String hostname = n.requiredString("hostname");
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new ClusterSpecException(source + ": " + n.path("hostname") + " '" + hostname
                    + "' is not a host name (letters, digits and '-', no dots: the domain is separate)");
        }
        Optional<String> domain = n.optionalString("domain");
        if (domain.isPresent()) {
            checkDomain(n.path("domain"), domain.get());
        }
        String addressText = n.string("address", "127.0.0." + (index + 1));
        if (!NetUtil.isValidIpV4Address(addressText) && !NetUtil.isValidIpV6Address(addressText)) {
            throw new ClusterSpecException(source + ": " + n.path("address") + " '" + addressText + "' is not an IP address (use 127.0.0.x)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(addressText);
        } catch (UnknownHostException e) {
            throw new ClusterSpecException(source + ": " + n.path("address") + " '" + addressText + "' is not an IP address");
        }
        Map<String, Integer> ports = ports(n.child("ports"), defaultPorts);
        Map<String, Integer> sizes = keySizes(n.child("keySizes"), Set.of("CallManager", "TVS", "tomcat", "ITLRecovery"));
        Map<CertificateUnit, Integer> units = new EnumMap<>(CertificateUnit.class);
        sizes.forEach((k, v) -> units.put(CertificateUnit.fromCli(k).orElseThrow(), v));
        Optional<String> recoveryCn = n.optionalString("itlRecoveryCommonName");
        return new NodeSpec(hostname, domain, address, n.bool("tftp", true), ports.get("tftp"), ports.get("tvs"),
                ports.get("https"), units, recoveryCn, ports.get("capf"), ports.get("sip"), ports.get("sips"),
                validity(n.child("certificates")));
    }

    private DeviceSpec device(Value d, List<GroupSpec> groups) throws ClusterSpecException {
        d.allow("mac", "model", "group", "lsc", "lscCertificate", "encryption", "securityMode", "settingsAccess",
                "webAccess", "sshAccess", "spanToPCPort", "webProtocol", "vendorConfig", "loadInformation", "capf", "transport", "digest");
        String raw = d.requiredString("mac");
        String mac = Mac.parseWritten(raw).map(Mac::hex).orElseThrow(() -> new ClusterSpecException(
                source + ": " + d.path("mac") + " '" + raw + "' is not a MAC address (12 hex digits)"));
        String groupName = d.string("group", groups.get(0).name());
        if (groups.stream().noneMatch(g -> g.name().equals(groupName))) {
            throw new ClusterSpecException(source + ": " + d.path("group") + " '" + groupName + "' is not a CallManager group");
        }
        Optional<Path> lscFile = d.optionalString("lscCertificate").map(p -> baseDir == null ? Path.of(p) : baseDir.resolve(p));
        boolean lsc = d.bool("lsc", false) || lscFile.isPresent();
        boolean encryption = d.bool("encryption", false);
        Optional<CapfSettings> capf = capf(d.child("capf"));
        if (encryption && !lsc && capf.isEmpty()) {
            throw new ClusterSpecException(source + ": device " + mac + " has encryption on but no LSC: "
                    + "the configuration is encrypted to the phone's LSC (set lsc: true, lscCertificate, or capf)");
        }
        long securityMode = d.integer("securityMode", encryption ? 3 : 1);
        if (securityMode < 1 || securityMode > 3) {
            throw new ClusterSpecException(source + ": " + d.path("securityMode") + " must be 1, 2 or 3");
        }
        String transportText = d.string("transport", DeviceSpec.defaultTransport((int) securityMode).name());
        SipTransport transport = SipTransport.parse(transportText).orElseThrow(() -> new ClusterSpecException(source + ": "
                + d.path("transport") + " '" + transportText + "' is not a SIP transport (tcp or tls)"));
        Map<String, String> vendor = new LinkedHashMap<>();
        vendor.put("settingsAccess", Long.toString(d.integer("settingsAccess", 1)));
        vendor.put("webAccess", Long.toString(d.integer("webAccess", 0)));
        vendor.put("sshAccess", Long.toString(d.integer("sshAccess", 1)));
        vendor.put("spanToPCPort", Long.toString(d.integer("spanToPCPort", 1)));
        if (d.has("webProtocol")) {
            vendor.put("webProtocol", Long.toString(d.integer("webProtocol", 0)));
        }
        Optional<Value> extra = d.child("vendorConfig");
        if (extra.isPresent()) {
            for (Map.Entry<String, Value> e : extra.get().entries().entrySet()) {
                if (!e.getKey().matches("[A-Za-z][A-Za-z0-9_]*")) {
                    throw new ClusterSpecException(source + ": " + e.getValue().path + " is not an XML element name");
                }
                vendor.put(e.getKey(), e.getValue().scalar());
            }
        }
        String model = d.string("model", "7970");
        String knownModel = PhoneModel.parseKnown(model).map(PhoneModel::name).orElseThrow(() -> new ClusterSpecException(source + ": "
                + d.path("model") + " '" + model + "' is not a phone model (e.g. 7970, 8845 or 7965G)"));
        return new DeviceSpec(mac, knownModel, groupName, lsc, lscFile, encryption, (int) securityMode, vendor,
                d.string("loadInformation", "SIP70.9-4-2SR3-1S"), capf, transport, digest(d.child("digest")));
    }

    /** {@code digest: {user, password}}: the profile's "Enable Digest Authentication" and the Digest User's credentials. */
    private Optional<org.phoneemu.core.config.DigestCredentials> digest(Optional<Value> node) throws ClusterSpecException {
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Value v = node.get();
        v.allow("user", "password");
        String user = v.requiredString("user");
        if (user.isBlank() || !user.equals(user.strip())) {
            throw new ClusterSpecException(source + ": " + v.path("user") + " must be a user id without surrounding spaces");
        }
        return Optional.of(new org.phoneemu.core.config.DigestCredentials(user, v.requiredString("password")));
    }

    private Optional<CapfSettings> capf(Optional<Value> node) throws ClusterSpecException {
        if (node.isEmpty()) {
            return Optional.empty();
        }
        Value c = node.get();
        c.allow("operation", "authMode", "authString", "keySize", "keyType");
        String opText = c.string("operation", "install");
        CapfOperation op = CapfOperation.parse(opText).orElseThrow(() -> new ClusterSpecException(source + ": " + c.path("operation")
                + " '" + opText + "' is not a certificate operation (install, delete, troubleshoot, none)"));
        String modeText = c.string("authMode", "nullString");
        CapfAuthMode mode = CapfAuthMode.parse(modeText).orElseThrow(() -> new ClusterSpecException(source + ": " + c.path("authMode")
                + " '" + modeText + "' is not an authentication mode (nullString, authString, existingCertificate)"));
        Optional<String> authString = c.optionalString("authString");
        if (mode == CapfAuthMode.AUTH_STRING && authString.isEmpty()) {
            throw new ClusterSpecException(source + ": " + c.path("authString") + " is required with authMode authString");
        }
        if (authString.isPresent()) {
            Optional<String> problem = CapfAuthMode.authStringProblem(authString.get());
            if (problem.isPresent()) {
                throw new ClusterSpecException(source + ": " + c.path("authString") + ": " + problem.get());
            }
        }
        String typeText = c.string("keyType", "rsa").toLowerCase(Locale.ROOT);
        LscKeySpec.Algorithm alg = switch (typeText) {
            case "rsa" -> LscKeySpec.Algorithm.RSA;
            case "ec", "ecdsa" -> LscKeySpec.Algorithm.EC;
            default -> throw new ClusterSpecException(source + ": " + c.path("keyType") + " '" + typeText + "' is not rsa or ec");
        };
        long size = c.integer("keySize", alg == LscKeySpec.Algorithm.RSA ? 2048 : 256);
        if (size != (int) size || !LscKeySpec.supported(alg, (int) size)) {
            throw new ClusterSpecException(source + ": " + c.path("keySize") + ": " + LscKeySpec.unsupported(alg, (int) size));
        }
        return Optional.of(new CapfSettings(op, mode, mode == CapfAuthMode.AUTH_STRING ? authString : Optional.empty(),
                new LscKeySpec(alg, (int) size)));
    }

    /** A node's {@code certificates: {CallManager: {validDays: 30}}}: how long each unit's first certificate is valid. */
    private Map<CertificateUnit, Duration> validity(Optional<Value> node) throws ClusterSpecException {
        Map<CertificateUnit, Duration> out = new EnumMap<>(CertificateUnit.class);
        if (node.isEmpty()) {
            return out;
        }
        Set<String> units = Set.of("CallManager", "TVS", "tomcat", "ITLRecovery");
        for (Map.Entry<String, Value> e : node.get().entries().entrySet()) {
            String unit = units.stream().filter(a -> a.equalsIgnoreCase(e.getKey())).findFirst().orElseThrow(() ->
                    new ClusterSpecException(source + ": " + e.getValue().path + " is not a certificate unit (use "
                            + String.join(", ", sorted(units)) + ")"));
            Value v = e.getValue();
            v.allow("validDays");
            long days = v.integer("validDays", CertificateIssuer.VALIDITY_DAYS);
            if (days < 1 || days > MAX_VALID_DAYS) {
                throw new ClusterSpecException(source + ": " + v.path("validDays") + " must be 1.." + MAX_VALID_DAYS
                        + " (CUCM allows up to 20 years for ITLRecovery), not " + days);
            }
            out.put(CertificateUnit.fromCli(unit).orElseThrow(), Duration.ofDays(days));
        }
        return out;
    }

    private static final long MAX_VALID_DAYS = 20 * 365 + 5;

    private Map<String, Integer> keySizes(Optional<Value> node, Set<String> allowed) throws ClusterSpecException {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (node.isEmpty()) {
            return out;
        }
        for (Map.Entry<String, Value> e : node.get().entries().entrySet()) {
            String key = allowed.stream().filter(a -> a.equalsIgnoreCase(e.getKey())).findFirst().orElseThrow(() ->
                    new ClusterSpecException(source + ": " + e.getValue().path + " is not a key name (use " + String.join(", ", sorted(allowed)) + ")"));
            long bits = e.getValue().asInteger();
            if (!KEY_SIZES.contains((int) bits) || bits != (int) bits) {
                throw new ClusterSpecException(source + ": " + e.getValue().path + " = " + bits
                        + ": signed files carry RSA signatures of 1024, 2048 or 4096 bits only");
            }
            out.put(key, (int) bits);
        }
        return out;
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        l.sort(null);
        return l;
    }

    private Map<String, Integer> ports(Optional<Value> node, Map<String, Integer> defaults) throws ClusterSpecException {
        Map<String, Integer> out = new LinkedHashMap<>(defaults);
        if (node.isEmpty()) {
            return out;
        }
        node.get().allow("tftp", "tvs", "https", "capf", "sip", "sips");
        for (Map.Entry<String, Value> e : node.get().entries().entrySet()) {
            long port = e.getValue().asInteger();
            if (port < 0 || port > 65535) {
                throw new ClusterSpecException(source + ": " + e.getValue().path + " = " + port + " is not a port (0 = ephemeral)");
            }
            out.put(e.getKey(), (int) port);
        }
        if (!node.get().has("capf") && (out.get("tftp") == 0 || out.get("tvs") == 0 || out.get("https") == 0)) {
            // Files written before CAPF existed ask for ephemeral ports: CAPF follows them rather than taking 3804.
            out.put("capf", 0);
        }
        boolean ephemeral = out.get("tftp") == 0 || out.get("tvs") == 0 || out.get("https") == 0;
        for (String sip : List.of("sip", "sips")) {
            if (!node.get().has(sip) && ephemeral) {
                // Files written before the registrar existed ask for ephemeral ports: SIP follows them too.
                out.put(sip, 0);
            }
        }
        return out;
    }

    private Map<String, String> subject(Optional<Value> node) throws ClusterSpecException {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isEmpty()) {
            out.put("OU", "tac");
            out.put("O", "cisco");
            out.put("L", "rtp");
            out.put("ST", "nc");
            out.put("C", "US");
            return out;
        }
        for (Map.Entry<String, Value> e : node.get().entries().entrySet()) {
            String type = e.getKey().toUpperCase(Locale.ROOT);
            if (!Set.of("OU", "O", "L", "ST", "C").contains(type)) {
                throw new ClusterSpecException(source + ": " + e.getValue().path + ": subject attributes are OU, O, L, ST and C (the CN is the node's)");
            }
            String value = e.getValue().scalar();
            if (type.equals("C") && !value.matches("[A-Za-z]{2}")) {
                throw new ClusterSpecException(source + ": " + e.getValue().path + " must be a two-letter country code");
            }
            out.put(type, value);
        }
        return out;
    }

    private NameStyle nameStyle(Value c) throws ClusterSpecException {
        String v = c.string("nameStyle", "CUCM");
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "CUCM", ";" -> NameStyle.CUCM;
            case "RFC4514", "," -> NameStyle.RFC4514;
            default -> throw new ClusterSpecException(source + ": cluster.nameStyle '" + v + "' must be CUCM (';') or RFC4514 (',')");
        };
    }

    private DigestAlgorithm digest(Value c) throws ClusterSpecException {
        String v = c.string("digest", "SHA1");
        return switch (v.toUpperCase(Locale.ROOT).replace("-", "")) {
            case "SHA1" -> DigestAlgorithm.SHA1;
            case "SHA256" -> DigestAlgorithm.SHA256;
            case "SHA512" -> DigestAlgorithm.SHA512;
            default -> throw new ClusterSpecException(source + ": cluster.digest '" + v + "' must be SHA1, SHA256 or SHA512");
        };
    }

    private Role itlTftpRole(Value c) throws ClusterSpecException {
        String v = c.string("itlTftpRole", "CCM+TFTP");
        return switch (v.toUpperCase(Locale.ROOT)) {
            case "CCM+TFTP" -> Role.CCM_TFTP;
            case "TFTP" -> Role.TFTP;
            default -> throw new ClusterSpecException(source + ": cluster.itlTftpRole '" + v + "' must be CCM+TFTP or TFTP");
        };
    }

    private ClusterSpec.CtlSigner ctlSigner(Value c) throws ClusterSpecException {
        String v = c.string("ctlSigner", "tokenless");
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "tokenless" -> ClusterSpec.CtlSigner.TOKENLESS;
            case "etoken" -> ClusterSpec.CtlSigner.ETOKEN;
            default -> throw new ClusterSpecException(source + ": cluster.ctlSigner '" + v + "' must be tokenless or etoken");
        };
    }

    private ZoneId zone(Value c) throws ClusterSpecException {
        String v = c.string("timeZone", "UTC");
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new ClusterSpecException(source + ": cluster.timeZone '" + v + "' is not a time zone (e.g. UTC, America/Los_Angeles)");
        }
    }

    private void checkDomain(String path, String domain) throws ClusterSpecException {
        if (!DOMAIN.matcher(domain).matches() || domain.length() > 253) {
            throw new ClusterSpecException(source + ": " + path + " '" + domain + "' is not a DNS domain");
        }
    }

    /** A YAML value with its path, for error messages that say where the problem is. */
    private final class Value {
        final String path;
        final Object value;

        Value(String path, Object value) {
            this.path = path;
            this.value = value;
        }

        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        @SuppressWarnings("unchecked")
        Map<Object, Object> map() throws ClusterSpecException {
            if (!(value instanceof Map<?, ?>)) {
                throw new ClusterSpecException(source + ": " + path + " must be a mapping (key: value)");
            }
            return (Map<Object, Object>) value;
        }

        Map<String, Value> entries() throws ClusterSpecException {
            Map<String, Value> out = new LinkedHashMap<>();
            for (Map.Entry<Object, Object> e : map().entrySet()) {
                out.put(String.valueOf(e.getKey()), new Value(path(String.valueOf(e.getKey())), e.getValue()));
            }
            return out;
        }

        void allow(String... keys) throws ClusterSpecException {
            Set<String> allowed = Set.of(keys);
            for (Object k : map().keySet()) {
                if (!allowed.contains(String.valueOf(k))) {
                    throw new ClusterSpecException(source + ": unknown key '" + path(String.valueOf(k)) + "' (known here: "
                            + String.join(", ", keys) + ")");
                }
            }
        }

        boolean has(String key) throws ClusterSpecException {
            return map().get(key) != null;
        }

        Optional<Value> child(String key) throws ClusterSpecException {
            Object v = map().get(key);
            return v == null ? Optional.empty() : Optional.of(new Value(path(key), v));
        }

        List<Value> list(String key) throws ClusterSpecException {
            Object v = map().get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> l)) {
                throw new ClusterSpecException(source + ": " + path(key) + " must be a list");
            }
            List<Value> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                out.add(new Value(path(key) + "[" + i + "]", l.get(i)));
            }
            return out;
        }

        String scalar() throws ClusterSpecException {
            if (value instanceof Map<?, ?> || value instanceof List<?> || value == null) {
                throw new ClusterSpecException(source + ": " + path + " must be a single value");
            }
            return String.valueOf(value);
        }

        long asInteger() throws ClusterSpecException {
            String v = scalar().trim().replace("_", "");
            if (v.matches("-?\\d{1,18}")) {
                return Long.parseLong(v);
            }
            throw new ClusterSpecException(source + ": " + path + " must be a whole number, not '" + value + "'");
        }

        String requiredString(String key) throws ClusterSpecException {
            return child(key).orElseThrow(() -> new ClusterSpecException(source + ": " + path(key) + " is required")).scalar();
        }

        Optional<String> optionalString(String key) throws ClusterSpecException {
            Optional<Value> n = child(key);
            return n.isEmpty() ? Optional.empty() : Optional.of(n.get().scalar());
        }

        String string(String key, String otherwise) throws ClusterSpecException {
            return optionalString(key).orElse(otherwise);
        }

        long integer(String key, long otherwise) throws ClusterSpecException {
            Optional<Value> n = child(key);
            return n.isEmpty() ? otherwise : n.get().asInteger();
        }

        boolean bool(String key, boolean otherwise) throws ClusterSpecException {
            Optional<Value> n = child(key);
            if (n.isEmpty()) {
                return otherwise;
            }
            switch (n.get().scalar().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> {
                    return true;
                }
                case "false", "no", "off" -> {
                    return false;
                }
                default -> {
                }
            }
            throw new ClusterSpecException(source + ": " + path(key) + " must be true or false, not '" + n.get().value + "'");
        }
    }
}
