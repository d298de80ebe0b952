package org.phoneemu.cucm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.phoneemu.core.dump.ShowItlPrinter;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.config.MicTrustStore;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.pki.CertificateIssuer;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.cucm.pki.internal.Pkcs12;

/**
 * The admin operations of one node, with CUCM's rules: the 5-minute hold timer of {@code set cert regen},
 * {@code utils itl reset} only on the publisher, the ITL signed by ITLRecovery until the TFTP service restarts,
 * the ITLRecovery certificate that keeps its name through renames. Cluster-wide operations (rollback parameter,
 * mixed mode, backup and restore, reset) act on the whole cluster from any node. A refused operation throws
 * {@link AdminException} with CUCM's message and changes nothing. {@link AdminShell} prints them as CUCM's CLI does.
 * "Seed 004" below is one of the public Cisco documents listed in docs/TRUST-RULES.md, Sources.
 */
public final class NodeAdmin {
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern BACKUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Cluster cluster;
    private final String id;

    NodeAdmin(Cluster cluster, String id) {
        this.cluster = cluster;
        this.id = id;
    }

    /** The node's current host name. */
    public String hostname() {
        return cluster.read(s -> s.node(id).hostname);
    }

    public boolean isPublisher() {
        return cluster.read(s -> s.publisher().id().equals(id));
    }

    public Cluster cluster() {
        return cluster;
    }

    // ---- certificates --------------------------------------------------------------------------------------

    /**
     * {@code set cert regen <unit>}: a new key and self-signed certificate. Refused within the hold timer of the
     * node's previous regeneration; a CallManager or TVS regeneration resets the phones; an ITLRecovery
     * regeneration reaches the ITL only when the TFTP service restarts (seed 004).
     */
    public void regenerateCertificate(CertificateUnit unit) throws AdminException {
        cluster.change((s, resets) -> {
            NodeState n = s.node(id);
            Optional<HoldTimerException> hold = holdTimer(n, unit);
            if (hold.isPresent()) {
                throw hold.get();
            }
            Instant now = cluster.clock().instant();
            n.own.put(unit, s.issue(cluster.spec(), cluster.issuer(), n, unit));
            if (unit == CertificateUnit.CALLMANAGER) {
                n.listedCallManager = null;
            }
            n.lastRegeneration = now;
            n.lastRegenerated = unit;
            if (unit == CertificateUnit.CALLMANAGER || unit == CertificateUnit.TVS) {
                resets.add(new ResetEvent(now, ResetEvent.Reason.CERTIFICATE_REGENERATED, Optional.of(n.hostname), Optional.of(unit)));
            }
            return null;
        });
    }

    /** The refusal {@code set cert regen <unit>} would meet now, if any. */
    Optional<HoldTimerException> holdTimer(CertificateUnit unit) {
        return cluster.read(s -> holdTimer(s.node(id), unit));
    }

    private Optional<HoldTimerException> holdTimer(NodeState n, CertificateUnit unit) {
        Duration hold = cluster.spec().holdTimer();
        if (n.lastRegeneration == null || hold.isZero() || !cluster.clock().instant().isBefore(n.lastRegeneration.plus(hold))) {
            return Optional.empty();
        }
        return Optional.of(new HoldTimerException(CucmText.holdTimer(n.lastRegenerated, unit, hold), n.lastRegenerated,
                n.lastRegeneration.plus(hold)));
    }

    /** The node's certificate of this unit. */
    public X509Certificate certificate(CertificateUnit unit) {
        return cluster.read(s -> s.node(id).certificate(unit));
    }

    /** {@code set cert import trust} without a store: adds a certificate that TVS vouches for, in no MIC trust store. */
    public void importTrustCertificate(X509Certificate cert) throws AdminException {
        importTrustCertificate(cert, ClusterState.NO_STORE);
    }

    /**
     * {@code set cert import trust <store>}: adds a certificate to that trust store (TVS vouches for every imported
     * certificate). Only a CallManager-trust import is a MIC root for the registrar, only a CAPF-trust one for CAPF.
     */
    public void importTrustCertificate(X509Certificate cert, String store) throws AdminException {
        cluster.change((s, resets) -> {
            if (s.imported.stream().noneMatch(c -> c.equals(cert))) {
                s.imported.add(cert);
            }
            s.importedIn.computeIfAbsent(cert, c -> new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER)).add(store);
            return null;
        });
    }

    /**
     * The name a certificate has in a trust store, as {@code set cert delete} takes it: its CN with spaces as
     * underscores, {@code .pem} (e.g. {@code Cisco_Manufacturing_CA_SHA2.pem}; the form is guessed, docs/SIP.md §10).
     */
    public static String trustFileName(X509Certificate cert) {
        String cn = CertificateIssuer.commonName(cert);
        String base = cn.isEmpty() ? Certificates.sha1Hex(cert) : cn;
        return base.trim().replaceAll("[\\s/\\\\]+", "_") + ".pem";
    }

    /** The certificates of a MIC trust store now, by their unique names in it ({@link #trustNames}). */
    public List<String> trustFileNames(MicTrustStore store) {
        return List.copyOf(trustNames(cluster.micTrust(store)).values());
    }

    /**
     * Each certificate's name in one store: {@link #trustFileName}, and when an earlier certificate already has that
     * name, its CN plus the first 8 hex digits of its SHA-1 (names in a store are unique, so a delete names one).
     */
    static java.util.Map<X509Certificate, String> trustNames(List<X509Certificate> store) {
        java.util.Map<X509Certificate, String> names = new java.util.LinkedHashMap<>();
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (X509Certificate c : store) {
            String name = trustFileName(c);
            if (!taken.add(name.toLowerCase(java.util.Locale.ROOT))) {
                name = name.substring(0, name.length() - ".pem".length()) + "_" + Certificates.sha1Hex(c).substring(0, 8) + ".pem";
                taken.add(name.toLowerCase(java.util.Locale.ROOT));
            }
            names.put(c, name);
        }
        return names;
    }

    /**
     * {@code set cert delete <store> <name>}: removes the certificate(s) of that name from CallManager-trust or
     * CAPF-trust, cluster-wide (CUCM 11.0 and later delete a trust certificate on every node). The registrar and CAPF
     * judge the next certificate without it. Removing the manufacturing root from CallManager-trust makes phones that
     * register with their MIC fail "TLS authentication failure"; from CAPF-trust, CAPF refuses the MIC as proof.
     *
     * @param name the file name ({@code .pem} optional, any case)
     * @return the certificates removed
     */
    public List<X509Certificate> deleteTrustCertificate(MicTrustStore store, String name) throws AdminException {
        String wanted = name.toLowerCase(java.util.Locale.ROOT).endsWith(".pem") ? name : name + ".pem";
        return cluster.change((s, resets) -> {
            List<X509Certificate> matching = trustNames(cluster.micTrust(store)).entrySet().stream()
                    .filter(e -> e.getValue().equalsIgnoreCase(wanted)).map(java.util.Map.Entry::getKey).toList();
            if (matching.isEmpty()) {
                throw new AdminException(CucmText.trustCertificateNotFound(name, store.cliName()));
            }
            if (matching.size() > 1) {
                throw new AdminException(name + " names " + matching.size() + " certificates in " + store.cliName() + ": "
                        + String.join(", ", matching.stream().map(c -> Certificates.sha1Hex(c)).toList())
                        + " (delete them by their full names)");
            }
            X509Certificate c = matching.get(0);
            if (c.equals(cluster.manufacturingRoot()) && s.manufacturingRootIn.remove(store)
                    || c.equals(cluster.manufacturingIntermediate()) && s.manufacturingIntermediateIn.remove(store)) {
                return List.of(c);
            }
            java.util.Set<String> in = s.importedIn.get(c);
            if (in == null) { // a legacy entry: it was in CallManager-trust only
                s.imported.remove(c);
            } else {
                in.removeIf(store.cliName()::equalsIgnoreCase);
                if (in.isEmpty()) {
                    s.imported.remove(c);
                    s.importedIn.remove(c);
                }
            }
            return List.of(c);
        });
    }

    // ---- ITL reset -----------------------------------------------------------------------------------------

    /**
     * {@code utils itl reset localkey}: every TFTP node serves the publisher's ITL signed with the publisher's
     * ITLRecovery key until its TFTP service is restarted.
     *
     * @return the host names of the TFTP nodes, publisher first, as the command lists them
     */
    public List<String> resetItlLocalKey() throws AdminException {
        return resetItl(Optional.empty());
    }

    /**
     * {@code utils itl reset remotekey}: the same with the key of an {@code ITLRecovery.p12} saved earlier; that key
     * replaces the publisher's local one (seed 004).
     */
    public List<String> resetItlRemoteKey(byte[] p12, char[] password) throws AdminException {
        requirePublisher();
        KeyMaterial key;
        try {
            key = Pkcs12.read(p12, password);
        } catch (GeneralSecurityException e) {
            throw new AdminException(e.getMessage(), e);
        }
        return resetItl(Optional.of(key));
    }

    private List<String> resetItl(Optional<KeyMaterial> remote) throws AdminException {
        return cluster.change((s, resets) -> {
            NodeState pub = s.publisher();
            if (!pub.id().equals(id)) {
                throw new AdminException(CucmText.NOT_PUBLISHER);
            }
            remote.ifPresent(k -> pub.own.put(CertificateUnit.ITLRECOVERY, k));
            List<String> hosts = new ArrayList<>();
            for (NodeState n : s.nodes.values()) {
                if (n.spec.tftp()) {
                    n.itlSignedByRecovery = true;
                    hosts.add(n.hostname);
                }
            }
            return hosts;
        });
    }

    private void requirePublisher() throws AdminException {
        if (!isPublisher()) {
            throw new AdminException(CucmText.NOT_PUBLISHER);
        }
    }

    /**
     * {@code file get tftp ITLRecovery.p12}: the publisher's recovery key pair as PKCS#12, protected by the cluster
     * security password. Subscribers have no such file (seed 004).
     */
    public byte[] itlRecoveryP12() throws AdminException {
        if (!isPublisher()) {
            throw new AdminException(CucmText.FILE_NOT_FOUND);
        }
        KeyMaterial key = cluster.read(s -> s.publisher().key(CertificateUnit.ITLRECOVERY));
        return Pkcs12.write(key, cluster.spec().securityPassword().toCharArray());
    }

    // ---- services ------------------------------------------------------------------------------------------

    /**
     * {@code utils service restart <service>}. Restarting Cisco Tftp makes the node sign its own ITL with its
     * CallManager key again and load the publisher's current ITLRecovery certificate into it.
     */
    public void restartService(ClusterService service) throws AdminException {
        cluster.change((s, resets) -> {
            if (service == ClusterService.TFTP) {
                NodeState n = s.node(id);
                n.itlSignedByRecovery = false;
                n.tftpItlRecovery = s.publisher().certificate(CertificateUnit.ITLRECOVERY);
            }
            return null;
        });
    }

    // ---- names ---------------------------------------------------------------------------------------------

    /**
     * {@code set network hostname}: regenerates the node's CallManager, TVS and tomcat certificates at once (and
     * the CAPF on the publisher); the ITLRecovery certificate keeps its old name (seed 004). Phones are reset.
     */
    public void changeHostname(String newHostname) throws AdminException {
        if (!HOSTNAME.matcher(newHostname).matches()) {
            throw new AdminException("Invalid hostname: " + newHostname);
        }
        rename(newHostname, null);
    }

    /** {@code set network domain}: like a host name change. */
    public void changeDomain(String newDomain) throws AdminException {
        if (!DOMAIN.matcher(newDomain).matches()) {
            throw new AdminException("Invalid domain: " + newDomain);
        }
        rename(null, newDomain);
    }

    private void rename(String hostname, String domain) throws AdminException {
        cluster.change((s, resets) -> {
            NodeState n = s.node(id);
            if (hostname != null && s.nodes.values().stream().anyMatch(o -> o != n && o.hostname.equalsIgnoreCase(hostname))) {
                throw new AdminException("Hostname " + hostname + " is already used by another node of the cluster");
            }
            if (hostname != null) {
                n.hostname = hostname;
            }
            if (domain != null) {
                n.domain = domain;
            }
            for (CertificateUnit unit : List.of(CertificateUnit.CALLMANAGER, CertificateUnit.TVS, CertificateUnit.TOMCAT)) {
                n.own.put(unit, s.issue(cluster.spec(), cluster.issuer(), n, unit));
            }
            n.listedCallManager = null;
            if (n == s.publisher()) {
                // The CAPF lives on the publisher: a new key under the same CAPF-xxxxxxxx name.
                s.capf = cluster.issuer().selfSigned(CertificateIssuer.commonName(s.capf.certificate()),
                        cluster.spec().keySize("CAPF"), CertificateIssuer.Profile.AUTHORITY);
            }
            Instant now = cluster.clock().instant();
            n.lastRegeneration = now;
            n.lastRegenerated = CertificateUnit.CALLMANAGER;
            resets.add(new ResetEvent(now, ResetEvent.Reason.NAME_CHANGED, Optional.of(n.hostname), Optional.empty()));
            return null;
        });
    }

    // ---- show ----------------------------------------------------------------------------------------------

    /** {@code show itl}: the node's ITL in CUCM's layout (ShowItlPrinter), with its checksums and time. */
    public String showItl() throws AdminException {
        return show(FileBuilder.ITL, TrustListKind.ITL);
    }

    /** {@code show ctl}: the CTL, in mixed mode. */
    public String showCtl() throws AdminException {
        return show(FileBuilder.CTL, TrustListKind.CTL);
    }

    private String show(String name, TrustListKind kind) throws AdminException {
        TftpFile f = cluster.runtime(id).files.get(name)
                .orElseThrow(() -> new AdminException(kind == TrustListKind.CTL
                        ? "The CTL file is not present: the cluster is not in mixed mode"
                        : "The ITL file is not present: Cisco Tftp does not run on " + hostname()));
        try {
            return ShowItlPrinter.print(TrustList.parse(f.bytes(), kind), Optional.of(f.modified()), cluster.spec().timeZone());
        } catch (MalformedFileException e) {
            return "Verification of the " + kind + " file failed.\nError parsing the " + kind + " file!!\n";
        }
    }

    // ---- cluster-wide --------------------------------------------------------------------------------------

    /** The enterprise parameter "Prepare Cluster for Rollback to pre 8.0": ITLs become blank (still signed). */
    public void setRollback(boolean enabled) throws AdminException {
        cluster.change((s, resets) -> {
            s.rollback = enabled;
            return null;
        });
    }

    public boolean rollback() {
        return cluster.read(s -> s.rollback);
    }

    /** {@code utils ctl set-cluster mixed-mode} / {@code non-secure-mode}: publishes (or withdraws) the CTL. */
    public void setMixedMode(boolean mixed) throws AdminException {
        requirePublisher();
        cluster.change((s, resets) -> {
            s.mixedMode = mixed;
            s.ctl = mixed ? cluster.fileBuilder().ctl(s, cluster.clock().instant()) : null;
            return null;
        });
    }

    /** {@code utils ctl update CTLFile}: a new CTL from the current certificates, signed by the token or CallManager. */
    public void updateCtl() throws AdminException {
        requirePublisher();
        cluster.change((s, resets) -> {
            if (!s.mixedMode) {
                throw new AdminException("The cluster is not in mixed mode");
            }
            s.ctl = cluster.fileBuilder().ctl(s, cluster.clock().instant());
            return null;
        });
    }

    /** Enterprise Parameters > Reset: every phone resets. */
    public void resetPhones() throws AdminException {
        cluster.change((s, resets) -> {
            resets.add(new ResetEvent(cluster.clock().instant(), ResetEvent.Reason.ADMINISTRATOR, Optional.empty(), Optional.empty()));
            return null;
        });
    }

    /** A DRS backup of the whole cluster's keys and certificates, kept under {@code <state>/backups/<name>}. */
    public void backup(String name) throws AdminException {
        Path dir = backupDir(name);
        cluster.change((s, resets) -> {
            try {
                new StateStore(dir).save(s);
            } catch (IOException e) {
                throw new AdminException("Backup failed: " + e.getMessage(), e);
            }
            return null;
        });
    }

    /** The names of the backups kept in the state directory. */
    public List<String> backups() {
        Path dir = cluster.store().directory().resolve("backups");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(StateStore.PROPERTIES))).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Restores a backup. With {@code withCallManagerKey} false the backup is one hit by CSCtn50405: it lacks the
     * CallManager key, so each node signs with a new key while its ITL still lists the old certificate ("This
     * etoken was not used to sign the ITL file.") until {@code set cert regen CallManager}. Phones are reset.
     */
    public void restore(String name, boolean withCallManagerKey) throws AdminException {
        Path dir = backupDir(name);
        if (!Files.isRegularFile(dir.resolve(StateStore.PROPERTIES))) {
            throw new AdminException("Backup " + name + " not found");
        }
        cluster.change((current, resets) -> {
            ClusterState restored;
            try {
                restored = new StateStore(dir).load(cluster.spec());
            } catch (IOException e) {
                throw new AdminException("Restore failed: " + e.getMessage(), e);
            }
            restored.fillMissing(cluster.spec(), cluster.issuer());
            for (NodeState n : restored.nodes.values()) {
                if (!withCallManagerKey) {
                    n.listedCallManager = n.listedCallManager();
                    n.own.put(CertificateUnit.CALLMANAGER, restored.issue(cluster.spec(), cluster.issuer(), n, CertificateUnit.CALLMANAGER));
                }
                // The restored servers start their services afresh.
                n.itlSignedByRecovery = false;
                n.tftpItlRecovery = restored.publisher().certificate(CertificateUnit.ITLRECOVERY);
            }
            // The state object is replaced in place so the change is saved and published as one.
            current.nodes.clear();
            current.nodes.putAll(restored.nodes);
            current.capf = restored.capf;
            current.etoken = restored.etoken;
            current.rollback = restored.rollback;
            current.mixedMode = restored.mixedMode;
            current.ctl = restored.ctl;
            current.lscs.clear();
            current.lscs.putAll(restored.lscs);
            current.imported.clear();
            current.imported.addAll(restored.imported);
            current.importedIn.clear();
            current.importedIn.putAll(restored.importedIn);
            current.manufacturingRootIn.clear();
            current.manufacturingRootIn.addAll(restored.manufacturingRootIn);
            current.manufacturingIntermediateIn.clear();
            current.manufacturingIntermediateIn.addAll(restored.manufacturingIntermediateIn);
            resets.add(new ResetEvent(cluster.clock().instant(), ResetEvent.Reason.RESTORED, Optional.empty(), Optional.empty()));
            return null;
        });
    }

    private Path backupDir(String name) throws AdminException {
        if (!BACKUP_NAME.matcher(name).matches()) {
            throw new AdminException("Invalid backup name: " + name + " (letters, digits, '.', '_', '-')");
        }
        return cluster.store().directory().resolve("backups").resolve(name);
    }

    @Override
    public String toString() {
        return "admin:" + hostname();
    }
}
