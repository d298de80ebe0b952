package org.phoneemu.cucm;

import io.netty.util.NetUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import org.phoneemu.core.sip.SipTransport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustListBuilder;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.cucm.config.GroupSpec;
import org.phoneemu.cucm.files.internal.ConfigXml;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.tvs.CertificateStore;

/**
 * Builds what each TFTP node serves from the cluster's state: its ITL (and the per-device copies), the CTL in
 * mixed mode, and every device's configuration, plain, signed and encrypted. A file whose inputs did not change
 * keeps its bytes and timestamp, so a rebuild after an unrelated change does not hand phones a "new" ITL.
 */
final class FileBuilder {
    static final String ITL = "ITLFile.tlv";
    static final String CTL = "CTLFile.tlv";
    static final String XML_DEFAULT = "XMLDefault.cnf.xml";

    /** The ports a node's servers listen on (the bound ones once started). */
    record Ports(int tftp, int tvs, int https, int capf, int sip, int sips) {
    }

    /** One ITL/CTL record before it is written. */
    record ListRecord(Role role, X509Certificate certificate, boolean fullCertificate) {
    }

    private final ClusterSpec spec;
    private final SecureRandom random;
    private final Function<String, Optional<X509Certificate>> providedLsc;

    FileBuilder(ClusterSpec spec, SecureRandom random, Function<String, Optional<X509Certificate>> providedLsc) {
        this.spec = spec;
        this.random = random;
        this.providedLsc = providedLsc;
    }

    Map<String, TftpDirectory> build(ClusterState s, Function<String, Ports> ports, Instant now, Map<String, TftpDirectory> previous) {
        Map<String, TftpDirectory> out = new LinkedHashMap<>();
        for (NodeState n : s.nodes.values()) {
            if (!n.spec.tftp()) {
                continue;
            }
            TftpDirectory before = previous.getOrDefault(n.id(), TftpDirectory.EMPTY);
            Map<String, TftpFile> files = new LinkedHashMap<>();
            TftpFile itl = itlFile(s, n, now, before);
            files.put(ITL, itl);
            Optional<TftpFile> ctl = Optional.empty();
            if (s.mixedMode && s.ctl != null) {
                byte[] ctlBytes = s.ctl;
                Optional<TftpFile> old = before.get(CTL);
                ctl = Optional.of(old.isPresent() && old.get().sameBytes(ctlBytes) ? old.get() : new TftpFile(CTL, ctlBytes, now, null));
                files.put(CTL, ctl.get());
            }
            KeyMaterial signer = n.key(CertificateUnit.CALLMANAGER);
            Optional<TftpFile> servedCtl = ctl;
            // Every device's files are signed on their own: a cluster of thousands of devices builds them on all
            // cores, then adds them in the devices' order.
            List<Map<String, TftpFile>> perDevice = spec.devices().parallelStream().map(d -> {
                Map<String, TftpFile> mine = new LinkedHashMap<>();
                String base = d.deviceName();
                mine.put("ITL" + base + ".tlv", itl.servedAs("ITL" + base + ".tlv"));
                servedCtl.ifPresent(c -> mine.put("CTL" + base + ".tlv", c.servedAs("CTL" + base + ".tlv")));
                deviceFiles(s, d, signer, ports, now, before, mine);
                return mine;
            }).toList();
            perDevice.forEach(files::putAll);
            GroupSpec first = spec.groups().get(0);
            String xmlDefault = ConfigXml.xmlDefault(settings(s, first, Map.of(), Optional.empty(), 1, ports, Optional.empty()));
            put(files, before, XML_DEFAULT, now, recipe(xmlDefault), () -> xmlDefault.getBytes(StandardCharsets.UTF_8));
            put(files, before, XML_DEFAULT + ".sgn", now, recipe(xmlDefault, signer.certificate()),
                    () -> sign(xmlDefault, signer, XML_DEFAULT + ".sgn", now));
            out.put(n.id(), new TftpDirectory(files));
        }
        return out;
    }

    private void deviceFiles(ClusterState s, DeviceSpec fileSpec, KeyMaterial signer, Function<String, Ports> ports, Instant now,
                             TftpDirectory before, Map<String, TftpFile> files) {
        Integer mode = s.securityModes.get(fileSpec.mac());
        DeviceSpec d = mode == null ? fileSpec : fileSpec.withSecurityMode(mode);
        String name = d.deviceName() + ".cnf.xml";
        Optional<X509Certificate> lsc = d.lsc() || s.capfIssued.containsKey(d.mac()) ? lscCertificate(s, d) : Optional.empty();
        Optional<X509Certificate> encryptTo = d.encryption() ? lsc : Optional.empty();
        GroupSpec group = spec.group(d.group()).orElseThrow();
        ConfigXml.Settings settings = settings(s, group, d.vendorConfig(), Optional.of(d.loadInformation()), d.securityMode(),
                d.sipTransport() == SipTransport.TLS ? ConfigXml.TRANSPORT_TLS : ConfigXml.TRANSPORT_TCP,
                ports, encryptTo.map(Certificates::md5Hex), capfEntry(s, d, ports)).withDigest(d.digest());
        String xml = ConfigXml.device(settings);
        if (encryptTo.isPresent()) {
            X509Certificate phone = encryptTo.get();
            put(files, before, name + ".enc.sgn", now, recipe(xml, signer.certificate(), phone),
                    () -> EncryptedConfig.encrypt(xml.getBytes(StandardCharsets.UTF_8), phone, signer, name + ".enc.sgn",
                            now.getEpochSecond(), spec.nameStyle(), spec.digest(), random));
            String stub = EncryptedConfig.stubXml(phone, ConfigXml.stubElements(settings));
            put(files, before, name + ".sgn", now, recipe(stub, signer.certificate()), () -> sign(stub, signer, name + ".sgn", now));
        } else {
            put(files, before, name, now, recipe(xml), () -> xml.getBytes(StandardCharsets.UTF_8));
            put(files, before, name + ".sgn", now, recipe(xml, signer.certificate()), () -> sign(xml, signer, name + ".sgn", now));
        }
    }

    Optional<X509Certificate> lscCertificate(ClusterState s, DeviceSpec d) {
        X509Certificate enrolled = s.capfIssued.get(d.mac());
        if (enrolled != null) {
            return Optional.of(enrolled);
        }
        Optional<X509Certificate> provided = providedLsc.apply(d.mac());
        if (provided.isPresent()) {
            return provided;
        }
        return Optional.ofNullable(s.lscs.get(d.mac())).map(KeyMaterial::certificate);
    }

    /** The CAPF of the publisher, with the device's pending operation: phones start a CAPF session when one is pending. */
    private static ConfigXml.CapfEntry capfEntry(ClusterState s, DeviceSpec d, Function<String, Ports> ports) {
        NodeState pub = s.publisher();
        org.phoneemu.cucm.config.CapfSettings c = s.capfSettings.get(d.mac());
        if (c == null) {
            return new ConfigXml.CapfEntry(address(pub), ports.apply(pub.id()).capf(), 0, Optional.empty());
        }
        int mode = switch (c.authMode()) {
            case NULL_STRING -> 0;
            case AUTH_STRING -> 1;
            case EXISTING_CERTIFICATE -> 2;
        };
        Optional<String> op = switch (c.operation()) {
            case INSTALL_UPGRADE -> Optional.of("install");
            case DELETE -> Optional.of("delete");
            case TROUBLESHOOT -> Optional.of("troubleshoot");
            case NO_PENDING_OPERATION -> Optional.empty();
        };
        return new ConfigXml.CapfEntry(address(pub), ports.apply(pub.id()).capf(), mode, op);
    }

    private ConfigXml.Settings settings(ClusterState s, GroupSpec group, Map<String, String> vendor, Optional<String> load,
                                        int securityMode, Function<String, Ports> ports, Optional<String> certHash) {
        return settings(s, group, vendor, load, securityMode, ConfigXml.TRANSPORT_TCP, ports, certHash,
                ConfigXml.CapfEntry.none(address(s.publisher())));
    }

    private ConfigXml.Settings settings(ClusterState s, GroupSpec group, Map<String, String> vendor, Optional<String> load,
                                        int securityMode, int transport, Function<String, Ports> ports, Optional<String> certHash,
                                        ConfigXml.CapfEntry capf) {
        List<ConfigXml.CallManagerMember> callManagers = new ArrayList<>();
        List<ConfigXml.TvsMember> tvs = new ArrayList<>();
        for (String member : group.members()) {
            NodeState m = s.node(member);
            callManagers.add(new ConfigXml.CallManagerMember(m.fqdn(), ports.apply(m.id()).sip(), ports.apply(m.id()).sips()));
            tvs.add(new ConfigXml.TvsMember(address(m), ports.apply(m.id()).tvs()));
        }
        NodeState web = s.node(group.members().get(0));
        String host = address(web);
        String webBase = "https://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + ports.apply(web.id()).https();
        return new ConfigXml.Settings(callManagers, tvs, vendor, load, webBase, securityMode, transport, capf, certHash);
    }

    private static String address(NodeState n) {
        return NetUtil.toAddressString(n.spec.address());
    }

    private byte[] sign(String xml, KeyMaterial signer, String filename, Instant now) {
        return EncryptedConfig.sign(xml.getBytes(StandardCharsets.UTF_8), signer, filename, now.getEpochSecond(),
                spec.nameStyle(), spec.digest());
    }

    private static void put(Map<String, TftpFile> files, TftpDirectory before, String name, Instant now, byte[] recipe,
                            Supplier<byte[]> build) {
        Optional<TftpFile> old = before.get(name);
        files.put(name, old.isPresent() && old.get().sameRecipe(recipe) ? old.get() : new TftpFile(name, build.get(), now, recipe));
    }

    // ---- ITL -------------------------------------------------------------------------------------------------

    private TftpFile itlFile(ClusterState s, NodeState n, Instant now, TftpDirectory before) {
        // After utils itl reset every TFTP node serves the publisher's ITL re-signed with the ITLRecovery key.
        NodeState source = n.itlSignedByRecovery ? s.publisher() : n;
        KeyMaterial signer = n.itlSignedByRecovery ? s.publisher().key(CertificateUnit.ITLRECOVERY) : n.key(CertificateUnit.CALLMANAGER);
        List<ListRecord> records = itlRecords(s, source);
        Recipe r = new Recipe().add("ITL").add(Boolean.toString(s.rollback)).add(signer.certificate());
        records.forEach(rec -> r.add(rec.role().name()).add(Boolean.toString(rec.fullCertificate())).add(rec.certificate()));
        byte[] recipe = r.digest();
        Optional<TftpFile> old = before.get(ITL);
        if (old.isPresent() && old.get().sameRecipe(recipe)) {
            return old.get();
        }
        return new TftpFile(ITL, trustList(TrustListKind.ITL, records, s.rollback, signer, now.getEpochSecond()), now, recipe);
    }

    /**
     * The records of a node's ITL in CUCM 10's order (seed 004, see docs/TRUST-RULES.md Sources; layout in
     * docs/FORMATS.md §2): SAST and TFTP/CCM+TFTP (the node's CallManager certificate), CAPF (hash), the node's own
     * TVS (hash), the publisher's ITLRECOVERY SAST, then the TVS of every other node running CallManager (hash).
     */
    List<ListRecord> itlRecords(ClusterState s, NodeState source) {
        List<ListRecord> out = new ArrayList<>();
        X509Certificate callManager = source.listedCallManager();
        out.add(new ListRecord(Role.SAST, callManager, true));
        out.add(new ListRecord(spec.itlTftpRole(), callManager, true));
        if (spec.provisioning().https()) {
            // The HTTPS provisioning certificate (EC): the phone trusts port 6971 by this record (docs/PROTOCOLS.md §4).
            out.add(new ListRecord(Role.TFTP, source.certificate(CertificateUnit.TOMCAT_ECDSA), true));
        }
        out.add(new ListRecord(Role.CAPF, s.capf.certificate(), false));
        List<NodeState> tvsNodes = tvsNodes(s);
        if (tvsNodes.contains(source)) {
            out.add(new ListRecord(Role.TVS, source.certificate(CertificateUnit.TVS), false));
        }
        out.add(new ListRecord(Role.SAST, source.tftpItlRecovery, true));
        for (NodeState t : tvsNodes) {
            if (t != source) {
                out.add(new ListRecord(Role.TVS, t.certificate(CertificateUnit.TVS), false));
            }
        }
        return out;
    }

    /** Nodes running the CallManager service, hence TVS: the members of any CallManager group, in cluster order. */
    List<NodeState> tvsNodes(ClusterState s) {
        return s.nodes.values().stream()
                .filter(n -> spec.groups().stream().anyMatch(g -> g.members().contains(n.id())))
                .toList();
    }

    /**
     * The CTL of mixed mode: the signer's SAST record, the publisher's ITLRecovery SAST, every node's CallManager
     * certificate as CCM+TFTP, and the CAPF, all with full certificates.
     */
    byte[] ctl(ClusterState s, Instant now) {
        KeyMaterial signer = spec.ctlSigner() == ClusterSpec.CtlSigner.ETOKEN ? s.etoken : s.publisher().key(CertificateUnit.CALLMANAGER);
        List<ListRecord> records = new ArrayList<>();
        records.add(new ListRecord(Role.SAST, signer.certificate(), true));
        records.add(new ListRecord(Role.SAST, s.publisher().certificate(CertificateUnit.ITLRECOVERY), true));
        for (NodeState n : s.nodes.values()) {
            records.add(new ListRecord(Role.CCM_TFTP, n.listedCallManager(), true));
        }
        records.add(new ListRecord(Role.CAPF, s.capf.certificate(), true));
        return trustList(TrustListKind.CTL, records, false, signer, now.getEpochSecond());
    }

    private byte[] trustList(TrustListKind kind, List<ListRecord> records, boolean blank, KeyMaterial signer, long timestamp) {
        TrustListBuilder b = new TrustListBuilder(kind).nameStyle(spec.nameStyle()).digest(spec.digest()).timestamp(timestamp);
        for (ListRecord r : records) {
            if (blank) {
                b.addBlank(r.role());
            } else if (r.fullCertificate()) {
                b.addCertificate(r.role(), r.certificate());
            } else {
                b.addCertificateHash(r.role(), r.certificate());
            }
        }
        return b.build(signer);
    }

    // ---- TVS store -------------------------------------------------------------------------------------------

    /** Every certificate of the cluster with the roles TVS reports, plus the imported ones (role APP-SERVER). */
    CertificateStore certificateStore(ClusterState s) {
        CertificateStore.Builder b = CertificateStore.builder();
        for (NodeState n : s.nodes.values()) {
            for (CertificateUnit unit : CertificateUnit.values()) {
                b.add(n.certificate(unit), unit.tvsRole());
            }
            b.add(n.listedCallManager(), Role.CCM_TFTP);
            b.add(n.tftpItlRecovery, Role.SAST);
        }
        b.add(s.capf.certificate(), Role.CAPF);
        b.add(s.etoken.certificate(), Role.SAST);
        s.imported.forEach(c -> b.add(c, Role.APP_SERVER));
        return b.build();
    }

    /** A digest of a file's inputs. */
    static final class Recipe {
        private final MessageDigest md;

        Recipe() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Recipe add(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            md.update((byte) (b.length >> 24));
            md.update((byte) (b.length >> 16));
            md.update((byte) (b.length >> 8));
            md.update((byte) b.length);
            md.update(b);
            return this;
        }

        Recipe add(X509Certificate c) {
            return add(Certificates.sha1Hex(c));
        }

        byte[] digest() {
            return md.digest();
        }
    }

    private byte[] recipe(String xml, X509Certificate... certs) {
        Recipe r = new Recipe().add(xml).add(spec.digest().name()).add(spec.nameStyle().name());
        for (X509Certificate c : certs) {
            r.add(c);
        }
        return r.digest();
    }
}
