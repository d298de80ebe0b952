package org.phoneemu.cucm;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.AtomicFiles;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.MicTrustStore;
import org.phoneemu.cucm.config.NodeSpec;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * Keeps a {@link ClusterState} in a directory as PEM files and one properties file, each written atomically
 * (temp file, fsync, rename), so a crash leaves either the old state or the new one:
 * <pre>
 * state.properties                   names, timers, flags, the MIC trust stores holding the manufacturing root,
 *                                    device security modes an administrator set ({@code set device security})
 * nodes/&lt;host&gt;/&lt;Unit&gt;.pem          key + certificate of CallManager, TVS, tomcat, tomcat-ECDSA, ITLRecovery
 * nodes/&lt;host&gt;/CallManager-listed.pem  the certificate the ITL lists when it differs (CSCtn50405 restore)
 * nodes/&lt;host&gt;/ITLRecovery-tftp.pem    the publisher's ITLRecovery as this node's TFTP service loaded it
 * cluster/CAPF.pem, cluster/eToken.pem, cluster/CTLFile.tlv
 * devices/SEP&lt;MAC&gt;-LSC.pem           LSCs the CAPF issued (key made by the cluster)
 * devices/SEP&lt;MAC&gt;-CAPF-LSC.pem      LSCs issued over the CAPF protocol (the phone holds the key)
 * trust/&lt;sha1&gt;.pem                    certificates imported into the TVS store
 * </pre>
 */
final class StateStore {
    static final String PROPERTIES = "state.properties";
    private final Path dir;
    private final FileOps ops = FileOps.system();

    StateStore(Path dir) {
        this.dir = dir;
    }

    Path directory() {
        return dir;
    }

    boolean exists() {
        return Files.isRegularFile(dir.resolve(PROPERTIES));
    }

    void save(ClusterState s) throws IOException {
        Map<String, String> p = new TreeMap<>();
        p.put("format", "1");
        p.put("rollback", Boolean.toString(s.rollback));
        p.put("mixedMode", Boolean.toString(s.mixedMode));
        p.put("manufacturingRoot.in", String.join(",", s.manufacturingRootIn.stream().map(MicTrustStore::cliName).toList()));
        p.put("manufacturingIntermediate.in", String.join(",", s.manufacturingIntermediateIn.stream().map(MicTrustStore::cliName).toList()));
        for (NodeState n : s.nodes.values()) {
            saveNode(n, p);
        }
        write(dir.resolve("cluster").resolve("CAPF.pem"), pem(s.capf));
        write(dir.resolve("cluster").resolve("eToken.pem"), pem(s.etoken));
        writeOrDelete(dir.resolve("cluster").resolve("CallManagerCA.pem"), s.callManagerCa == null ? null : pem(s.callManagerCa));
        writeOrDelete(dir.resolve("cluster").resolve("CTLFile.tlv"), s.ctl);
        for (Map.Entry<String, KeyMaterial> e : s.lscs.entrySet()) {
            write(dir.resolve("devices").resolve(new Mac(e.getKey()).deviceName() + "-LSC.pem"), pem(e.getValue()));
        }
        for (Map.Entry<String, Integer> e : s.securityModes.entrySet()) {
            p.put(securityModeKey(new Mac(e.getKey()).deviceName()), Integer.toString(e.getValue()));
        }
        for (Map.Entry<String, X509Certificate> e : s.capfIssued.entrySet()) {
            write(dir.resolve("devices").resolve("SEP" + e.getKey() + "-CAPF-LSC.pem"), pem(e.getValue()));
        }
        Set<String> trust = new HashSet<>();
        for (X509Certificate c : s.imported) {
            String name = Certificates.sha1Hex(c) + ".pem";
            trust.add(name);
            java.util.Set<String> in = s.importedIn.get(c);
            if (in != null) {
                p.put("trust." + Certificates.sha1Hex(c) + ".stores", String.join(",", in));
            }
            write(dir.resolve("trust").resolve(name), pem(c));
        }
        Path trustDir = dir.resolve("trust");
        if (Files.isDirectory(trustDir)) {
            try (Stream<Path> files = Files.list(trustDir)) {
                for (Path f : files.toList()) {
                    if (!trust.contains(f.getFileName().toString())) {
                        AtomicFiles.delete(ops, f);
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder("# phone-emu cucm-sim state: written by the simulator, do not edit while it runs\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        write(dir.resolve(PROPERTIES), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One node's properties into {@code p}, its certificates into their files. */
    private void saveNode(NodeState n, Map<String, String> p) throws IOException {
        String k = "node." + n.id() + ".";
        p.put(k + "hostname", n.hostname);
        p.put(k + "domain", n.domain);
        p.put(k + "itlSignedByRecovery", Boolean.toString(n.itlSignedByRecovery));
        if (n.lastRegeneration != null) {
            p.put(k + "lastRegeneration", n.lastRegeneration.toString());
            p.put(k + "lastRegenerated", n.lastRegenerated.cliName());
        }
        Path nd = dir.resolve("nodes").resolve(n.id());
        for (Map.Entry<CertificateUnit, KeyMaterial> e : n.own.entrySet()) {
            write(nd.resolve(e.getKey().cliName() + ".pem"), pem(e.getValue()));
        }
        writeOrDelete(nd.resolve("CallManager-listed.pem"), n.listedCallManager == null ? null : pem(n.listedCallManager));
        write(nd.resolve("ITLRecovery-tftp.pem"), pem(n.tftpItlRecovery));
    }

    /** Reads what the directory holds for the cluster file's nodes; missing pieces stay empty for {@link ClusterState#fillMissing}. */
    ClusterState load(ClusterSpec spec) throws IOException {
        ClusterState s = new ClusterState();
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(dir.resolve(PROPERTIES), StandardCharsets.UTF_8)));
        s.rollback = Boolean.parseBoolean(p.getProperty("rollback", Boolean.toString(spec.rollback())));
        s.mixedMode = Boolean.parseBoolean(p.getProperty("mixedMode", Boolean.toString(spec.mixedMode())));
        loadManufacturingStores(s, p, spec);
        for (NodeSpec ns : spec.nodes()) {
            s.nodes.put(ns.hostname(), loadNode(ns, p, spec));
        }
        s.capf = readKey(dir.resolve("cluster").resolve("CAPF.pem"));
        s.etoken = readKey(dir.resolve("cluster").resolve("eToken.pem"));
        s.callManagerCa = readKey(dir.resolve("cluster").resolve("CallManagerCA.pem"));
        Path ctl = dir.resolve("cluster").resolve("CTLFile.tlv");
        s.ctl = Files.isRegularFile(ctl) ? Files.readAllBytes(ctl) : null;
        loadDevices(s, p, spec);
        loadImported(s, p);
        return s;
    }

    /** The MIC trust stores that hold the manufacturing root and its intermediate. */
    private static void loadManufacturingStores(ClusterState s, Properties p, ClusterSpec spec) {
        String rootIn = p.getProperty("manufacturingRoot.in");
        if (rootIn == null) { // a state saved before MIC roots were modelled: the cluster file's stores
            s.manufacturingRootIn.addAll(spec.manufacturingRoots());
        } else {
            for (String name : rootIn.split(",")) {
                MicTrustStore.fromCli(name).ifPresent(s.manufacturingRootIn::add);
            }
        }
        // A state saved before the intermediate: its one "root" was the CA now the intermediate (same name and key);
        // both levels stay where it was, so a store it had been deleted from does not trust MICs again.
        String intermediateIn = p.getProperty("manufacturingIntermediate.in");
        if (intermediateIn == null) {
            s.manufacturingIntermediateIn.addAll(s.manufacturingRootIn);
        } else {
            for (String name : intermediateIn.split(",")) {
                MicTrustStore.fromCli(name).ifPresent(s.manufacturingIntermediateIn::add);
            }
        }
    }

    /** One node: its names, timers and flags, and its certificates. */
    private NodeState loadNode(NodeSpec ns, Properties p, ClusterSpec spec) throws IOException {
        String k = "node." + ns.hostname() + ".";
        NodeState n = new NodeState(ns, p.getProperty(k + "domain", ns.domain().orElse(spec.domain())));
        n.hostname = p.getProperty(k + "hostname", ns.hostname());
        n.itlSignedByRecovery = Boolean.parseBoolean(p.getProperty(k + "itlSignedByRecovery", "false"));
        String last = p.getProperty(k + "lastRegeneration");
        if (last != null) {
            n.lastRegeneration = Instant.parse(last);
            n.lastRegenerated = CertificateUnit.fromCli(p.getProperty(k + "lastRegenerated", "CallManager")).orElse(CertificateUnit.CALLMANAGER);
        }
        Path nd = dir.resolve("nodes").resolve(ns.hostname());
        for (CertificateUnit unit : CertificateUnit.values()) {
            KeyMaterial km = readKey(nd.resolve(unit.cliName() + ".pem"));
            if (km != null) {
                n.own.put(unit, km);
            }
        }
        n.listedCallManager = readCertificate(nd.resolve("CallManager-listed.pem"));
        n.tftpItlRecovery = readCertificate(nd.resolve("ITLRecovery-tftp.pem"));
        return n;
    }

    /** The cluster file's devices: the LSCs issued to them and the security modes an administrator set. */
    private void loadDevices(ClusterState s, Properties p, ClusterSpec spec) throws IOException {
        for (var d : spec.devices()) {
            KeyMaterial km = readKey(dir.resolve("devices").resolve(d.deviceName() + "-LSC.pem"));
            if (km != null) {
                s.lscs.put(d.mac(), km);
            }
            X509Certificate issued = readCertificate(dir.resolve("devices").resolve("SEP" + d.mac() + "-CAPF-LSC.pem"));
            if (issued != null) {
                s.capfIssued.put(d.mac(), issued);
            }
            String mode = p.getProperty(securityModeKey(d.deviceName()));
            if (mode != null) {
                s.securityModes.put(d.mac(), securityMode(mode, d.deviceName()));
            }
        }
    }

    /** The state file's key for a device's security mode set by an administrator ({@code set device security}). */
    private static String securityModeKey(String deviceName) {
        return "device." + deviceName + ".securityMode";
    }

    private IOException damaged(String what) {
        return new IOException("state file " + dir.resolve(PROPERTIES) + " is damaged: " + what);
    }

    private int securityMode(String value, String deviceName) throws IOException {
        String v = value.trim();
        if (!v.equals("1") && !v.equals("2") && !v.equals("3")) {
            throw damaged(securityModeKey(deviceName) + " is \"" + value + "\", not 1, 2 or 3");
        }
        return Integer.parseInt(v);
    }

    /** Certificates imported into the trust stores, and which stores each went into. */
    private void loadImported(ClusterState s, Properties p) throws IOException {
        Path trustDir = dir.resolve("trust");
        if (!Files.isDirectory(trustDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(trustDir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".pem")).sorted().toList()) {
                X509Certificate c = readCertificate(f);
                if (c == null) {
                    continue;
                }
                s.imported.add(c);
                // absent in a state saved before stores were recorded: the certificate counts as before
                String in = p.getProperty("trust." + Certificates.sha1Hex(c) + ".stores");
                if (in != null) {
                    java.util.Set<String> stores = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    stores.addAll(Arrays.asList(in.split(",")));
                    s.importedIn.put(c, stores);
                }
            }
        }
    }

    private KeyMaterial readKey(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return PemFile.readWithKey(f);
        } catch (PemFiles.PemException e) {
            throw new IOException("state file " + f + " is damaged: " + e.getMessage()
                    + " (start the cluster with a fresh state directory to regenerate everything)");
        }
    }

    private X509Certificate readCertificate(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return PemFile.read(f).certificate();
        } catch (PemFiles.PemException e) {
            throw new IOException("state file " + f + " is damaged: " + e.getMessage());
        }
    }

    private static byte[] pem(KeyMaterial km) {
        return PemFiles.toPem(km.privateKey(), km.certificate()).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] pem(X509Certificate c) {
        return PemFiles.toPem(c).getBytes(StandardCharsets.US_ASCII);
    }

    private void writeOrDelete(Path f, byte[] data) throws IOException {
        if (data == null) {
            if (Files.exists(f)) {
                AtomicFiles.delete(ops, f);
            }
        } else {
            write(f, data);
        }
    }

    private void write(Path f, byte[] data) throws IOException {
        if (Files.isRegularFile(f) && Arrays.equals(Files.readAllBytes(f), data)) {
            return;
        }
        Files.createDirectories(f.getParent());
        AtomicFiles.write(ops, f, data);
    }

    /** Forgets the state kept in {@code dir} (keys, certificates, timers, mirrored files); backups are kept. */
    static void wipe(Path dir) throws IOException {
        for (String name : java.util.List.of(PROPERTIES, "nodes", "cluster", "devices", "trust", "tftp")) {
            Path p = dir.resolve(name);
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            } else {
                Files.deleteIfExists(p);
            }
        }
    }
}
