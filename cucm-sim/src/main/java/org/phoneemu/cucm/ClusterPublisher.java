package org.phoneemu.cucm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.phoneemu.core.store.AtomicFiles;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.tvs.CertificateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the cluster's state into what its servers serve: each TFTP node's files, each node's TLS contexts and
 * the TVS certificate store; optionally mirrors the files under {@code <state>/tftp/<host>/}. The servers read
 * the results lock-free (volatile writes).
 */
final class ClusterPublisher {
    // Under the cluster's logger name, as before the split: log configurations filter on it.
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final String clusterName;
    private final FileBuilder builder;
    private final Clock clock;
    private final Optional<Path> mirrorDirectory;
    private volatile CertificateStore certificateStore = CertificateStore.EMPTY;

    /** @param mirrorDirectory where served files are mirrored ({@code tftp/<host>/} under it), or empty */
    ClusterPublisher(String clusterName, FileBuilder builder, Clock clock, Optional<Path> mirrorDirectory) {
        this.clusterName = clusterName;
        this.builder = builder;
        this.clock = clock;
        this.mirrorDirectory = mirrorDirectory;
    }

    /** The certificates TVS vouches for, as last published. */
    CertificateStore certificateStore() {
        return certificateStore;
    }

    /** Rebuilds files, TLS contexts and the TVS store from the state. The caller holds the cluster's lock. */
    void publish(ClusterState state, Map<String, NodeRuntime> runtimes) {
        Map<String, TftpDirectory> previous = new HashMap<>();
        runtimes.forEach((id, rt) -> previous.put(id, rt.files));
        Map<String, TftpDirectory> built = builder.build(state, id -> runtimes.get(id).ports(state.node(id)),
                clock.instant(), previous);
        for (NodeState n : state.nodes.values()) {
            NodeRuntime rt = runtimes.get(n.id());
            rt.updateTls(n);
            rt.files = built.getOrDefault(n.id(), TftpDirectory.EMPTY);
        }
        certificateStore = builder.certificateStore(state);
        mirrorDirectory.ifPresent(dir -> mirror(dir, previous, built));
    }

    private void mirror(Path stateDirectory, Map<String, TftpDirectory> previous, Map<String, TftpDirectory> built) {
        try {
            for (Map.Entry<String, TftpDirectory> e : built.entrySet()) {
                Path dir = stateDirectory.resolve("tftp").resolve(e.getKey());
                Files.createDirectories(dir);
                TftpDirectory before = previous.getOrDefault(e.getKey(), TftpDirectory.EMPTY);
                for (TftpFile f : e.getValue().files()) {
                    Path target = dir.resolve(f.name());
                    if (before.get(f.name()).orElse(null) != f || !Files.exists(target)) {
                        AtomicFiles.write(FileOps.system(), target, f.bytes());
                    }
                }
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        if (e.getValue().get(p.getFileName().toString()).isEmpty()) {
                            Files.deleteIfExists(p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cluster {}: cannot mirror the TFTP files under {}: {}", clusterName, stateDirectory, e.toString());
        }
    }
}
