package org.phoneemu.cucm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.AtomicFiles;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * OS Administration > Security > Bulk Certificate Management, between clusters that move phones (Cisco's "Procedure
 * for Bulk Certificate Management", docs/TRUST-RULES.md §11): each cluster's publisher exports its TFTP certificates
 * (the CallManager certificate of every TFTP node) to a shared folder (CUCM: an SFTP server), one publisher
 * consolidates every export into one file, and each publisher imports the others' certificates into its
 * CallManager-trust and Phone-SAST-trust stores, so its TVS vouches for them. The ITLRecovery certificate is not part
 * of the export (a migration also needs it imported by hand). CUCM writes PKCS#12 files; the simulator writes PEM
 * bundles, whose names are ours.
 */
final class BulkCertificates {
    /** The consolidated file in the shared folder. */
    public static final String CONSOLIDATED = "consolidated-tftp.pem";
    private static final String EXPORT_SUFFIX = "-tftp.pem";

    private BulkCertificates() {
    }

    /** The export file of a cluster in the shared folder. */
    public static Path exportFile(Path folder, Cluster cluster) {
        return folder.resolve(cluster.spec().name() + EXPORT_SUFFIX);
    }

    /** Export: the CallManager certificates of every TFTP node of the cluster; publisher only. */
    public static List<X509Certificate> export(NodeAdmin publisher, Path folder) throws AdminException {
        requirePublisher(publisher);
        Cluster cluster = publisher.cluster();
        List<X509Certificate> certs = cluster.nodes().stream().filter(Node::tftp)
                .map(n -> n.certificate(CertificateUnit.CALLMANAGER)).toList();
        write(exportFile(folder, cluster), PemFiles.toPem(certs.toArray()));
        return certs;
    }

    /** Consolidate: every cluster's export in the folder into one file; needs the exports of two clusters at least. */
    public static Map<String, List<X509Certificate>> consolidate(NodeAdmin publisher, Path folder) throws AdminException {
        requirePublisher(publisher);
        Map<String, List<X509Certificate>> exports = new LinkedHashMap<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(EXPORT_SUFFIX)
                        && !p.getFileName().toString().equals(CONSOLIDATED)).sorted().toList()) {
                    String name = f.getFileName().toString();
                    exports.put(name.substring(0, name.length() - EXPORT_SUFFIX.length()), read(f));
                }
            } catch (IOException e) {
                throw new AdminException("Cannot read the bulk certificate folder " + folder + ": " + e.getMessage());
            }
        }
        if (exports.size() < 2) {
            throw new AdminException("Consolidation needs the exported certificates of at least two clusters in " + folder
                    + " (found: " + (exports.isEmpty() ? "none" : String.join(", ", exports.keySet())) + ")");
        }
        write(folder.resolve(CONSOLIDATED), PemFiles.toPem(exports.values().stream().flatMap(List::stream).toArray()));
        return exports;
    }

    /**
     * Import: the consolidated certificates that are not this cluster's own into its trust stores.
     *
     * @return the certificates imported
     */
    public static List<X509Certificate> importConsolidated(NodeAdmin publisher, Path folder) throws AdminException {
        requirePublisher(publisher);
        Path file = folder.resolve(CONSOLIDATED);
        if (!Files.isRegularFile(file)) {
            throw new AdminException("No consolidated certificate file in " + folder + ": export on every cluster, then consolidate");
        }
        Set<String> own = publisher.cluster().nodes().stream()
                .flatMap(n -> n.certificates().values().stream()).map(Certificates::sha1Hex).collect(Collectors.toSet());
        List<X509Certificate> imported = new ArrayList<>();
        for (X509Certificate c : read(file)) {
            if (!own.contains(Certificates.sha1Hex(c))) {
                publisher.importTrustCertificate(c, "CallManager-trust");
                publisher.importTrustCertificate(c, "Phone-SAST-trust");
                imported.add(c);
            }
        }
        return imported;
    }

    private static void requirePublisher(NodeAdmin admin) throws AdminException {
        if (!admin.isPublisher()) {
            throw new AdminException(CucmText.NOT_PUBLISHER);
        }
    }

    private static void write(Path file, String pem) throws AdminException {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(FileOps.system(), file, pem.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AdminException("Cannot write " + file + ": " + e.getMessage());
        }
    }

    private static List<X509Certificate> read(Path file) throws AdminException {
        try {
            byte[] bytes = org.phoneemu.core.io.InputFiles.bytes(file, 1L << 20);
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new AdminException("Cannot read the certificates of " + file.getFileName() + ": " + e.getMessage());
        }
    }
}
