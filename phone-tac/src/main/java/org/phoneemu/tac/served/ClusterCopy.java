package org.phoneemu.tac.served;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.files.TftpFile;

/**
 * A simulated cluster loaded from its cluster file and a <em>copy</em> of its saved state, so that reading it
 * (which saves the state) or changing it (a prediction's admin commands) never touches the original. No server
 * is started. Closing it deletes the copy.
 */
public final class ClusterCopy implements AutoCloseable {
    private final Cluster cluster;
    private final Path copy;
    private final boolean hadState;
    /** The files as built when the copy was opened, by node id: a file still the same object is unchanged since. */
    private final Map<String, Map<String, TftpFile>> opened = new LinkedHashMap<>();

    private ClusterCopy(Cluster cluster, Path copy, boolean hadState) {
        this.cluster = cluster;
        this.copy = copy;
        this.hadState = hadState;
        for (Node n : cluster.nodes()) {
            Map<String, TftpFile> files = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            cluster.files(n.id()).files().forEach(f -> files.put(f.name(), f));
            opened.put(n.id(), files);
        }
    }

    /**
     * The bytes a node serves now. A file no change has touched since the copy was opened is what the cluster's last
     * run served: its mirrored bytes when there are some ({@code <state>/tftp/<node>/}), not a rebuild carrying
     * today's timestamp. A file a change rebuilt is served as rebuilt.
     */
    public Optional<byte[]> file(String nodeId, String name) {
        Optional<TftpFile> now = cluster.files(nodeId).get(name);
        if (now.isEmpty()) {
            return Optional.empty();
        }
        if (hadState && opened.getOrDefault(nodeId, Map.of()).get(name) == now.get()) {
            Path mirrored = copy.resolve("tftp").resolve(nodeId).resolve(now.get().name());
            if (Files.isRegularFile(mirrored)) {
                try {
                    return Optional.of(Files.readAllBytes(mirrored));
                } catch (IOException e) {
                    // Unreadable mirror: fall back to the file built from the state.
                }
            }
        }
        return Optional.of(now.get().bytes());
    }

    /**
     * @param state the cluster's state directory; when it holds no state, keys are generated for this copy only
     */
    public static ClusterCopy open(Path clusterFile, Path state, Clock clock) throws ClusterSpecException, IOException {
        ClusterSpec spec = ClusterSpec.load(clusterFile);
        Path copy = Files.createTempDirectory("phone-emu-cluster-copy");
        boolean had = Files.isRegularFile(state.resolve("state.properties"));
        try {
            if (had) {
                copyTree(state, copy);
            }
            Cluster c = Cluster.builder().spec(spec).stateDirectory(copy).clock(clock).mirrorFiles(false).build();
            return new ClusterCopy(c, copy, had);
        } catch (IOException | RuntimeException e) {
            deleteTree(copy);
            throw e;
        }
    }

    /** The state directory {@code cucm} commands use for a cluster file when none is given. */
    public static Path defaultStateDirectory(Path clusterFile) {
        String name = clusterFile.getFileName().toString().replaceAll("\\.ya?ml$", "");
        return Path.of(".phone-emu", "cluster-" + name);
    }

    public Cluster cluster() {
        return cluster;
    }

    /** False when the cluster had no saved state and this copy generated its keys. */
    public boolean hadState() {
        return hadState;
    }

    public Path stateDirectory() {
        return copy;
    }

    /**
     * What the cluster serves now, for {@code devices} (every device of the cluster file when empty), as
     * {@link #file} gives each file.
     */
    public ServedCluster served(List<Device> devices) {
        List<NodeFiles> nodes = new ArrayList<>();
        for (Node n : cluster.nodes()) {
            if (!n.tftp()) {
                continue;
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (TftpFile f : cluster.files(n.id()).files()) {
                files.put(f.name(), file(n.id(), f.name()).orElseThrow());
            }
            // 6971 presents the node's tomcat-ECDSA certificate when the cluster file turns HTTPS provisioning on.
            Optional<java.security.cert.X509Certificate> https = cluster.spec().provisioning().https()
                    ? Optional.of(n.certificate(org.phoneemu.cucm.pki.CertificateUnit.TOMCAT_ECDSA)) : Optional.empty();
            nodes.add(new NodeFiles(n.hostname(), n.address().getHostAddress(), files, https));
        }
        List<Device> ds = devices.isEmpty()
                ? cluster.spec().devices().stream().map(d -> new Device(d.mac(), d.model())).toList() : devices;
        return new ServedCluster("cluster " + cluster.spec().name(), nodes, ds, Optional.of(cluster.tvsCertificateStore()));
    }

    @Override
    public void close() {
        cluster.close();
        try {
            deleteTree(copy);
        } catch (IOException e) {
            // A temp directory left behind is harmless; nothing to tell the user.
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    /** Copies a directory tree (a phone's flash, a state directory). */
    public static void copyDirectory(Path from, Path to) throws IOException {
        copyTree(from, to);
    }

    public static void deleteDirectory(Path p) throws IOException {
        deleteTree(p);
    }
}
