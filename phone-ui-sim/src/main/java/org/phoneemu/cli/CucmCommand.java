package org.phoneemu.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.phoneemu.core.io.FileProblem;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.text.FailureText;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.lab.ClusterSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "cucm", mixinStandardHelpOptions = true,
        description = "The simulated CUCM cluster: serve it, export its files, run its admin CLI.",
        subcommands = {CucmCommand.Serve.class, CucmCommand.Files.class, CucmCommand.Admin.class})
final class CucmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the cucm subcommands. */
    static final class ClusterOptions {
        @Option(names = "--cluster", paramLabel = "FILE", defaultValue = Home.DEFAULT_CLUSTER,
                description = "cluster file (default: ${DEFAULT-VALUE}, in phone-emu's own folder)")
        Path clusterFile;

        @Option(names = "--state", paramLabel = "DIR",
                description = "state directory: keys, certificates, timers (default: .phone-emu/cluster-<name>)")
        Path state;

        @Option(names = "--fresh", description = "forget the saved keys and certificates and generate everything anew")
        boolean fresh;

        Cluster build() {
            return build(clusterFile, state);
        }

        /** A cluster from {@code clusterFile}, its state in {@code state} (null: .phone-emu/cluster-<file name>). */
        Cluster build(Path clusterFile, Path state) {
            Path file = UserInput.clusterFile(clusterFile);
            Path dir = state;
            String option = "--state";
            if (dir == null) {
                String name = file.getFileName().toString().replaceAll("\\.ya?ml$", "");
                dir = Path.of(".phone-emu", "cluster-" + name);
                option = "the cluster state folder";
            }
            Folders.writable(dir, option);
            try {
                return Cluster.builder().config(file).freshState(fresh).stateDirectory(dir).build();
            } catch (ClusterSpecException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
            } catch (IOException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "cannot prepare the cluster state in " + dir + ": "
                        + (e instanceof java.nio.file.FileSystemException f ? FileProblem.describe(f) : e.getMessage()));
            }
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Run the cluster in the foreground: TFTP, TVS, HTTPS and CAPF on every node, SIP (TCP and TLS) on CallManager nodes.",
                    "Type CUCM CLI commands at the admin: prompt (help lists them); exit or Ctrl-D stops."})
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClusterOptions options;

        @Option(names = "--node", description = "node the admin: prompt runs on (default: the publisher of --cluster)")
        String node;

        @Option(names = "--cluster-b", paramLabel = "FILE",
                description = "another cluster to serve beside --cluster (repeatable), each with its own nodes, keys and state folder "
                        + "(.phone-emu/cluster-<name>); no two clusters may share a node address")
        List<Path> others = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Cluster> clusters = new LinkedHashMap<>();
            try {
                Cluster home = options.build();
                clusters.put(home.spec().name(), home);
                UserInput.clusterAddresses(home.spec(), options.clusterFile);
                for (Path file : others) {
                    String name = name(file);
                    if (clusters.containsKey(name)) {
                        // Before building: the second would take the first's state folder.
                        throw new UserError(PhoneEmu.BAD_INPUT, "two clusters are named '" + name + "' (" + file + ")");
                    }
                    Cluster c = options.build(file, null);
                    clusters.put(name, c);
                    UserInput.clusterAddresses(c.spec(), file);
                }
                try {
                    ClusterSet.checkApart(clusters);
                } catch (IllegalArgumentException e) {
                    throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
                }
                return serve(out, clusters, home);
            } finally {
                clusters.values().forEach(Cluster::close);
            }
        }

        private Integer serve(PrintWriter out, Map<String, Cluster> clusters, Cluster home) throws Exception {
            AdminShell shell;
            try {
                shell = shell(clusters, home);
            } catch (RuntimeException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--node: " + FailureText.of(e));
            }
            for (Cluster c : clusters.values()) {
                try {
                    c.start().join();
                } catch (RuntimeException e) {
                    throw UserInput.clusterStartFailure(e);
                }
            }
            for (Cluster c : clusters.values()) {
                if (clusters.size() > 1) {
                    out.println("cluster " + c.spec().name() + ":");
                }
                printNodes(out, c, clusters.size() > 1 ? "  " : "");
            }
            for (Cluster c : clusters.values()) {
                c.onResetPhones(e -> {
                    out.println("[reset phones" + (clusters.size() > 1 ? " of " + c.spec().name() : "") + ": " + e.reason() + "]");
                    out.flush();
                });
            }
            out.println("Serving. Type CUCM CLI commands" + (clusters.size() > 1 ? " (they run on " + shellWhere(clusters, home) + ")" : "")
                    + "; 'exit' stops.");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            out.print(AdminShell.PROMPT);
            out.flush();
            boolean interactive = System.console() != null;
            while ((line = in.readLine()) != null) {
                if (line.trim().equals("exit") || line.trim().equals("quit")) {
                    return 0;
                }
                if (!line.isBlank()) {
                    out.print(shell.execute(line));
                }
                out.print(AdminShell.PROMPT);
                out.flush();
            }
            if (!interactive) {
                // stdin closed (e.g. run in the background): keep serving until the process is stopped.
                out.println();
                out.println("stdin closed; serving until stopped (Ctrl-C).");
                out.flush();
                new CountDownLatch(1).await();
            }
            return 0;
        }

        private static String name(Path clusterFile) {
            try {
                return org.phoneemu.cucm.config.ClusterSpec.load(UserInput.clusterFile(clusterFile)).name();
            } catch (ClusterSpecException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
            }
        }

        /** The admin: prompt on --node (a node of any of the clusters) or on the first cluster's publisher. */
        private AdminShell shell(Map<String, Cluster> clusters, Cluster home) {
            if (node == null) {
                return new AdminShell(home, home.publisher().id());
            }
            for (Cluster c : clusters.values()) {
                if (c.nodes().stream().anyMatch(n -> n.id().equals(node) || n.hostname().equals(node))) {
                    return new AdminShell(c, node);
                }
            }
            return new AdminShell(home, node);
        }

        private String shellWhere(Map<String, Cluster> clusters, Cluster home) {
            for (Cluster c : clusters.values()) {
                if (node != null && c.nodes().stream().anyMatch(n -> n.id().equals(node) || n.hostname().equals(node))) {
                    return c.spec().name() + "'s " + node;
                }
            }
            return home.spec().name() + "'s " + (node != null ? node : home.publisher().hostname());
        }

        private static void printNodes(PrintWriter out, Cluster cluster, String indent) {
                for (Node n : cluster.nodes()) {
                    out.println(indent + n.hostname() + (n.publisher() ? " (publisher)" : "") + ": TFTP " + Addresses.service(n.tftp(), n.tftpAddress())
                            + ", TVS " + Addresses.service(n.tvs(), n.tvsAddress()) + ", HTTPS " + Addresses.show(n.httpsAddress())
                            + ", CAPF " + Addresses.show(cluster.capfAddress(n.id()))
                            + cluster.provisioningAddress(n.id(), false).map(a -> ", HTTP " + Addresses.show(a)).orElse("")
                            + cluster.provisioningAddress(n.id(), true).map(a -> ", HTTPS provisioning " + Addresses.show(a)).orElse("")
                            + cluster.sipAddress(n.id(), SipTransport.TCP).map(a -> ", SIP " + Addresses.show(a)).orElse("")
                            + cluster.sipAddress(n.id(), SipTransport.TLS).map(a -> ", SIP-TLS " + Addresses.show(a)).orElse(""));
                }
        }
    }

    @Command(name = "files", mixinStandardHelpOptions = true,
            description = {"Write every node's TFTP directory (one folder per node) and public certificates "
                    + "(certs/<node>-<service>.pem), for use with other TFTP and TVS tools."})
    static final class Files implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClusterOptions options;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
        Path out;

        @Override
        public Integer call() throws IOException {
            PrintWriter w = spec.commandLine().getOut();
            Folders.writable(out, "--out");
            Folders.writable(out.resolve("certs"), "--out");
            try (Cluster cluster = options.build()) {
                for (Node n : cluster.nodes()) {
                    Path dir = Folders.writable(out.resolve(n.hostname()), "--out");
                    int count = 0;
                    for (TftpFile f : cluster.files(n.id()).files()) {
                        java.nio.file.Files.write(dir.resolve(f.name()), f.bytes());
                        count++;
                    }
                    w.println(dir + ": " + count + " files");
                    for (CertificateUnit unit : CertificateUnit.values()) {
                        try {
                            var cert = n.certificate(unit);
                            if (cert != null) {
                                Path pem = out.resolve("certs").resolve(n.hostname() + "-" + unit.cliName() + ".pem");
                                java.nio.file.Files.writeString(pem, PemFiles.toPem(cert));
                            }
                        } catch (RuntimeException e) {
                            // A node without that service (e.g. no TVS on a TFTP-only node) has no such certificate.
                        }
                    }
                }
                java.nio.file.Files.writeString(out.resolve("certs").resolve("CAPF.pem"), PemFiles.toPem(cluster.capfCertificate()));
                w.println(out.resolve("certs") + ": public certificates");
                w.flush();
                return 0;
            }
        }
    }

    @Command(name = "admin", mixinStandardHelpOptions = true,
            description = {"Run CUCM CLI commands on the saved cluster state (no servers started).",
                    "With COMMAND, run it once (exit 0 done, 1 refused by CUCM); without, read commands at an admin: prompt.",
                    "Files a command writes (file get tftp ITLRecovery.p12) go to the current folder unless a folder is given.",
                    "Example: phone-emu cucm admin set cert regen CallManager"})
    static final class Admin implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClusterOptions options;

        @Option(names = "--node", description = "node to run on (default: the publisher)")
        String node;

        @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "a CUCM CLI command, e.g. show itl")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (Cluster cluster = options.build()) {
                AdminShell shell;
                try {
                    shell = new AdminShell(cluster, node == null ? cluster.publisher().id() : node);
                } catch (RuntimeException e) {
                    throw new UserError(PhoneEmu.BAD_INPUT, FailureText.of(e));
                }
                if (!command.isEmpty()) {
                    String line = String.join(" ", command);
                    AdminShell.Result result = shell.run(line);
                    out.print(result.output());
                    out.flush();
                    if (result.refused()) {
                        throw new UserError(PhoneEmu.REFUSED, "'" + line + "' refused: " + result.reason());
                    }
                    return 0;
                }
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                out.print(AdminShell.PROMPT);
                out.flush();
                String line;
                while ((line = in.readLine()) != null && !line.trim().toLowerCase(Locale.ROOT).matches("exit|quit")) {
                    if (!line.isBlank()) {
                        out.print(shell.execute(line));
                    }
                    out.print(AdminShell.PROMPT);
                    out.flush();
                }
                out.println();
                return 0;
            }
        }
    }
}
