package org.phoneemu.cucm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;

/** Small clusters for tests: 1024-bit keys (fast), ephemeral ports, a virtual clock. */
final class TestClusters {
    /** 2014-02-26 10:24:27 PST, the "last modified" of the seed's ITL. */
    static final Instant SEED_TIME = Instant.parse("2014-02-26T18:24:27Z");

    private TestClusters() {
    }

    static VirtualClock clock() {
        return new VirtualClock(SEED_TIME);
    }

    /** Publisher + subscriber on 127.0.0.1 / 127.0.0.2, one group with both, a plain phone and an encrypted one. */
    static String twoNodes() {
        return """
                cluster:
                  name: test
                  domain: lab.example
                  securityPassword: s3cret
                  keySizes: {default: 1024}
                  ports: {tftp: 0, tvs: 0, https: 0}
                nodes:
                  - {hostname: pub, address: 127.0.0.1}
                  - {hostname: sub, address: 127.0.0.2}
                groups:
                  - {name: G1, members: [pub, sub]}
                devices:
                  - {mac: "001122334455", model: 7970, group: G1, settingsAccess: 0, webAccess: 1}
                  - {mac: "0011223344AA", model: 8841, group: G1, lsc: true, encryption: true}
                """;
    }

    /** One node. */
    static String oneNode() {
        return """
                cluster:
                  name: single
                  domain: lab.example
                  keySizes: {default: 1024}
                  ports: {tftp: 0, tvs: 0, https: 0}
                nodes:
                  - {hostname: solo, address: 127.0.0.1}
                devices:
                  - {mac: "001122334455"}
                """;
    }

    static ClusterSpec spec(String yaml) {
        try {
            return ClusterSpec.parse(yaml, null);
        } catch (ClusterSpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static final Map<String, Path> TEMPLATES = new ConcurrentHashMap<>();

    /**
     * A cluster from {@code yaml} in {@code state}. The keys are generated once per cluster file and JVM and copied
     * into each test's state directory: key generation is the slow part of building a cluster.
     */
    static Cluster build(String yaml, Path state, Clock clock) throws IOException {
        Path template = TEMPLATES.computeIfAbsent(yaml, y -> {
            try {
                Path dir = Files.createTempDirectory("cucm-sim-template");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                Cluster.builder().spec(spec(y)).stateDirectory(dir).clock(clock()).mirrorFiles(false).build().close();
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        copy(template, state);
        return Cluster.builder().spec(spec(yaml)).stateDirectory(state).clock(clock).build();
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory: the OS cleans up what is left
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
