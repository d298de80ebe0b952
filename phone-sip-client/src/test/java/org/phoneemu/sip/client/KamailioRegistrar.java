package org.phoneemu.sip.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.testing.RequiredPeer;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;

/**
 * Kamailio (Debian {@code kamailio}, {@code kamailio-tls-modules}) as the independent TLS registrar of the interop tests:
 * one of the configurations in {@code src/test/resources/kamailio} with its {@code @DIR@}, {@code @PORT@} and
 * {@code @MPATH@} filled in, started in the foreground on a free loopback port. With CI=true a missing Kamailio or
 * module fails the test, elsewhere it skips ({@link RequiredPeer}).
 */
final class KamailioRegistrar {
    private KamailioRegistrar() {
    }

    /** The Kamailio program and module folder found on this machine. */
    record Installation(Path binary, Path modules) {
        /**
         * Starts Kamailio with {@code configResource}, {@code server} as its certificate and, when given, {@code clientCa}
         * as the CA list a client certificate is verified against.
         *
         * @param edit what the test changes in the configuration text before the placeholders are filled in
         */
        PeerProcess start(Path work, String configResource, KeyMaterial server, Optional<X509Certificate> clientCa,
                UnaryOperator<String> edit) throws IOException, InterruptedException {
            Files.createDirectories(work);
            Files.writeString(work.resolve("server.pem"), PemFiles.toPem(server.certificate()));
            Files.writeString(work.resolve("server.key"), PemFiles.toPem(server.privateKey()));
            if (clientCa.isPresent()) {
                Files.writeString(work.resolve("ca.pem"), PemFiles.toPem(clientCa.get()));
            }
            int port = PeerProcess.freeLoopbackPort();
            String cfg;
            try (InputStream in = KamailioRegistrar.class.getResourceAsStream("/kamailio/" + configResource)) {
                cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            cfg = edit.apply(cfg).replace("@DIR@", work.toString()).replace("@PORT@", Integer.toString(port))
                    .replace("@MPATH@", modules + "/");
            Path config = work.resolve(configResource);
            Files.writeString(config, cfg);
            return PeerProcess.start("kamailio", new ProcessBuilder(binary.toString(), "-f", config.toString(), "-DD", "-E",
                    "-Y", work.toString(), "-P", work.resolve("kamailio.pid").toString(), "-w", work.toString()), port);
        }
    }

    /**
     * Kamailio with its TLS module and each of {@code moreModules} (file names such as {@code auth.so}), or fail (CI=true)
     * / skip (elsewhere).
     */
    static Installation required(String... moreModules) {
        Path binary = RequiredPeer.requireProgram("kamailio (Debian package kamailio)", "kamailio", "/usr/sbin/kamailio");
        Optional<Path> modules = moduleDirectory();
        RequiredPeer.require(modules.isPresent(), "Kamailio's TLS module (Debian package kamailio-tls-modules)");
        for (String module : moreModules) {
            RequiredPeer.require(Files.exists(modules.get().resolve(module)), "Kamailio's module " + module + " (Debian package kamailio)");
        }
        return new Installation(binary, modules.get());
    }

    /**
     * A one-node simulated cluster (not started: only its CAPF is used) that issued {@code mac}'s LSC; its CAPF certificate
     * is the client CA list Kamailio verifies the phone against.
     */
    static Cluster clusterIssuingLsc(Path state, String name, String mac, int securityMode) throws Exception {
        return Cluster.builder().spec(ClusterSpec.parse("""
                        cluster: {name: %s, domain: lab.example, ports: {tftp: 0, tvs: 0, https: 0}}
                        nodes: [{hostname: pub, address: 127.0.0.1}]
                        devices: [{mac: "%s", lsc: true, securityMode: %d}]
                        """.formatted(name, mac, securityMode), null))
                .stateDirectory(state).clock(new VirtualClock(Instant.now())).freshState(true).mirrorFiles(false)
                .build();
    }

    /** The folder of Kamailio's modules that holds the TLS module, if installed. */
    static Optional<Path> moduleDirectory() {
        for (String base : List.of("/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/aarch64-linux-gnu/kamailio/modules",
                "/usr/lib/kamailio/modules", "/usr/lib64/kamailio/modules")) {
            if (Files.exists(Path.of(base, "tls.so"))) {
                return Optional.of(Path.of(base));
            }
        }
        return Optional.empty();
    }
}
