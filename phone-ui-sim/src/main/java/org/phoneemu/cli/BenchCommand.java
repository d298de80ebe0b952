package org.phoneemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.ClusterSpec;
import org.phoneemu.cucm.config.ClusterSpecException;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.DeviceList;
import org.phoneemu.lab.Lab;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.FleetBench.class},
        description = "Benchmarks run on this machine, printed side by side.")
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "fleet", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The fleet side by side, each part in its own JVM: against the built-in cluster (--sim: first boot, "
                    + "reboot with nothing changed, reboot asking TVS after 'set cert regen CallManager'; set-up seconds, peak RSS); "
                    + "against tftpd-hpa serving the cluster's exported files; and the shell-script peer "
                    + "(scripts/tftp-boot-storm.sh: curl TFTP, 3 files a phone, 16 in parallel) against the same tftpd-hpa.",
                    "Needs tftpd-hpa (in.tftpd) and curl for the last two parts; skips them, saying so, without."})
    static final class FleetBench implements Callable<Integer> {
        static final String SIP_CLUSTER = "config/clusters/sip-bench.yaml";

        @Spec
        CommandSpec spec;

        @Option(names = "--phones", defaultValue = "10000", description = "phones against --sim (default: ${DEFAULT-VALUE})")
        int simPhones;

        @Option(names = "--warm-phones", defaultValue = "0",
                description = "phones of the warm row: fleet --sim with --warm-up of as many other phones first (default: as --phones)")
        int warmPhones;

        @Option(names = "--warm-runs", defaultValue = "3",
                description = "runs of the warm row, each its own JVM; the row is their median (default: ${DEFAULT-VALUE})")
        int warmRuns;

        @Option(names = "--tftp-phones", defaultValue = "2000", description = "phones of the fleet against tftpd-hpa (default: ${DEFAULT-VALUE})")
        int tftpPhones;

        @Option(names = "--peer-phones", defaultValue = "300", description = "phones of the shell-script peer (default: ${DEFAULT-VALUE})")
        int peerPhones;

        @Option(names = "--register-phones", defaultValue = "2000",
                description = "phones of the registration row: fleet --sim reboot with --register, and each registrar's storm (default: ${DEFAULT-VALUE})")
        int registerPhones;

        @Option(names = "--registration-only",
                description = "only the registration row (4/4): the fleet's reboot with --register and the storms against each registrar")
        boolean registrationOnly;

        @Option(names = "--sip-cluster", paramLabel = "FILE", defaultValue = SIP_CLUSTER,
                description = "cluster file of the registration row, every phone Authenticated (default: ${DEFAULT-VALUE})")
        Path sipClusterFile;

        @Option(names = "--cluster", paramLabel = "FILE", defaultValue = Home.LAB_CLUSTER,
                description = "cluster file (default: ${DEFAULT-VALUE})")
        Path clusterFile;

        @Option(names = "--work", paramLabel = "DIR", defaultValue = ".phone-emu/bench", description = "reports and files (default: ${DEFAULT-VALUE})")
        Path work;

        @Option(names = "--jvm-option", paramLabel = "OPT", defaultValue = "-Xmx640m",
                description = "option of the fleet JVMs (repeatable; default: ${DEFAULT-VALUE}, as the phone-emu launcher)")
        List<String> jvmOptions = new ArrayList<>();

        private PrintWriter out;

        /** What one fleet run reported in its summary.json. */
        record FleetFigures(int exit, List<Double> boots, double setup, double peakRssMb, double setupCpu, List<Double> roundCpu,
                            int phones, int registered, String registrationLatency) {
            /** Boots of a round per CPU second of the whole process: what the fleet costs, whatever else runs. */
            String perCpuSecond(int round) {
                return round < roundCpu.size() && roundCpu.get(round) > 0
                        ? String.format(Locale.ROOT, "%.0f", phones / roundCpu.get(round)) : "-";
            }
        }

        /** The shell-script peer's boots per second and client CPU per boot; NaN when it did not run or said nothing. */
        record PeerFigures(double bootsPerSecond, double cpuMsPerBoot) {
            static final PeerFigures NONE = new PeerFigures(Double.NaN, Double.NaN);

            boolean ran() {
                return !Double.isNaN(bootsPerSecond);
            }
        }

        /** The rows against tftpd-hpa: the fleet over TFTP, over HTTP (null without nginx), and the shell-script peer. */
        record TftpdRuns(FleetFigures overTftp, FleetFigures overHttp, PeerFigures peer) {
            static final TftpdRuns NONE = new TftpdRuns(null, null, PeerFigures.NONE);
        }

        /** Rows 1 to 3: the fleet against the built-in cluster (cold, then warm) and against tftpd-hpa. */
        record ThroughputRuns(FleetFigures sim, List<FleetFigures> warm, TftpdRuns tftpd) {
            boolean ok() {
                return sim.exit() == 0 && warm.stream().allMatch(w -> w.exit() == 0) && (tftpd.overTftp() == null || tftpd.overTftp().exit() == 0)
                        && (tftpd.overHttp() == null || tftpd.overHttp().exit() == 0);
            }
        }

        /** Row 4: the fleet's reboot with registration on, and the storms against each registrar. */
        record RegistrationRuns(FleetFigures fleet, RegistrationStorm.Result simulated, Optional<RegistrationStorm.Result> kamailio) {
        }

        @Override
        public Integer call() throws Exception {
            out = spec.commandLine().getOut();
            if (simPhones < 1 || tftpPhones < 1 || peerPhones < 1 || registerPhones < 1 || warmPhones < 0 || warmRuns < 1) {
                throw new UserError(PhoneEmu.BAD_INPUT, "phone counts must be at least 1");
            }
            // Like lab, the default cluster file is found wherever the command is called from.
            clusterFile = Home.resolve(clusterFile);
            sipClusterFile = Home.resolve(sipClusterFile);
            ClusterSpec base = clusterSpec(clusterFile);
            ClusterSpec sipBase = clusterSpec(sipClusterFile);
            Files.createDirectories(work);
            say("phone-emu bench fleet on " + machine() + "; fleet JVMs: " + String.join(" ", jvmOptions));
            say("load average at start: " + load());
            say("");

            Optional<ThroughputRuns> throughput = registrationOnly ? Optional.empty() : Optional.of(throughputRuns(base));
            RegistrationRuns registration = registrationRuns(sipBase);

            say("");
            say("RESULTS (" + machine() + "; load average now " + load() + ")");
            throughput.ifPresent(this::throughputTable);
            say("");
            registrationTable(registration);
            say("Reports: " + work.resolve("sim") + ", " + work.resolve("tftp") + " (summary.json, phones.csv, latency.hlog, junit.xml)");
            boolean ok = throughput.map(ThroughputRuns::ok).orElse(true) && registration.fleet().exit() == 0;
            return ok ? 0 : PhoneEmu.REFUSED;
        }

        private static ClusterSpec clusterSpec(Path file) {
            try {
                return ClusterSpec.load(file);
            } catch (ClusterSpecException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
            }
        }

        private ThroughputRuns throughputRuns(ClusterSpec base) throws IOException, InterruptedException {
            say("1/3 fleet --sim " + clusterFile + " --phones " + simPhones + " --flash memory --reboots 2 --admin-before 2='set cert regen CallManager' --no-register");
            FleetFigures sim = fleet(List.of("--sim", clusterFile.toString(), "--phones", Integer.toString(simPhones), "--reboots", "2",
                    "--admin-before", "2=set cert regen CallManager", "--no-register", "--work", work.resolve("sim-cluster").toString()), work.resolve("sim"));

            warmPhones = warmPhones == 0 ? simPhones : warmPhones;
            // The first boot of new phones on warm code (after a warm-up wave of other new phones in the same JVM): the
            // row above pays the JIT's compilation of the boot; this one is what a long-running fleet pays per boot.
            say("1b/3 fleet --sim " + clusterFile + " --phones " + warmPhones + " --warm-up " + warmPhones + " --flash memory --no-register"
                    + " (" + warmRuns + " runs, each its own JVM)");
            List<FleetFigures> warm = new ArrayList<>();
            for (int i = 0; i < warmRuns; i++) {
                warm.add(fleet(List.of("--sim", clusterFile.toString(), "--phones", Integer.toString(warmPhones), "--warm-up",
                        Integer.toString(warmPhones), "--no-register", "--work", work.resolve("warm-cluster").toString()), work.resolve("warm-" + (i + 1))));
            }
            return new ThroughputRuns(sim, warm, tftpdRuns(base));
        }

        /** Rows 2, 2b and 3, all against one tftpd-hpa serving the cluster's exported files. */
        private TftpdRuns tftpdRuns(ClusterSpec base) throws IOException, InterruptedException {
            Optional<Path> tftpd = program("/usr/sbin/in.tftpd", "in.tftpd");
            Optional<Path> script = script();
            if (tftpd.isEmpty()) {
                say("2/3 and 3/3 skipped: tftpd-hpa (in.tftpd) is not installed");
                return TftpdRuns.NONE;
            }
            Path files = work.resolve("tftp-files");
            int exported = export(base, Math.max(tftpPhones, peerPhones), files);
            int port = freeUdpPort();
            Process server = new ProcessBuilder(tftpd.get().toString(), "-L", "-a", "127.0.0.1:" + port, "-s", files.toString(),
                    "-u", System.getProperty("user.name")).redirectErrorStream(true).redirectOutput(work.resolve("tftpd.log").toFile()).start();
            try {
                Thread.sleep(300); // let it bind; a slow start only shows as a retransmission
                say("2/3 fleet --tftp 127.0.0.1:" + port + " (tftpd-hpa serving " + exported + " files of cucm files) --phones "
                        + tftpPhones + " --flash memory");
                FleetFigures overTftp = fleet(List.of("--tftp", "127.0.0.1:" + port, "--phones", Integer.toString(tftpPhones)), work.resolve("tftp"));
                FleetFigures overHttp = overHttp(files, port);
                PeerFigures peer = PeerFigures.NONE;
                if (script.isEmpty() || program("/usr/bin/curl", "curl").isEmpty()) {
                    say("3/3 skipped: scripts/tftp-boot-storm.sh or curl not found");
                } else {
                    peer = peer(script.get(), port);
                }
                return new TftpdRuns(overTftp, overHttp, peer);
            } finally {
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
        }

        /** Row 3: the shell-script peer against tftpd-hpa on {@code port}. */
        private PeerFigures peer(Path script, int port) throws IOException, InterruptedException {
            Path macs = work.resolve("macs.txt");
            List<String> lines = DeviceList.generated(DeviceList.DEFAULT_MAC_BASE, peerPhones, DeviceList.DEFAULT_MODEL).stream()
                    .map(Device::mac).toList();
            Files.write(macs, lines);
            say("3/3 " + script + " 127.0.0.1:" + port + " " + macs + " 16");
            // GNU time counts the script and every curl it waited for: the peer's client CPU.
            List<String> peerCmd = new ArrayList<>();
            program("/usr/bin/time", "time").ifPresent(t -> peerCmd.addAll(List.of(t.toString(), "-f", "client cpu %U %S")));
            peerCmd.addAll(List.of("bash", script.toString(), "127.0.0.1:" + port, macs.toString(), "16"));
            Process p = new ProcessBuilder(peerCmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            say("    " + text);
            Matcher m = Pattern.compile("boots/s ([0-9.]+)").matcher(text);
            double bootsPerSecond = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
            Matcher c = Pattern.compile("client cpu ([0-9.]+) ([0-9.]+)").matcher(text);
            double cpuMsPerBoot = c.find() ? (Double.parseDouble(c.group(1)) + Double.parseDouble(c.group(2))) * 1000 / peerPhones : Double.NaN;
            return new PeerFigures(bootsPerSecond, cpuMsPerBoot);
        }

        /**
         * 4/4 registrations: the fleet's phones rebooting with registration on, then the storms (new mutual-TLS
         * registrations only) against the simulated registrar and Kamailio.
         */
        private RegistrationRuns registrationRuns(ClusterSpec sipBase) throws IOException, InterruptedException {
            say("4/4 fleet --sim " + sipClusterFile + " --phones " + registerPhones + " --flash memory --reboots 1 --register --mic-bits 2048");
            FleetFigures reg = fleet(List.of("--sim", sipClusterFile.toString(), "--phones", Integer.toString(registerPhones), "--reboots", "1",
                    "--register", "--mic-bits", "2048", "--key-pool", work.resolve("key-pool-2048").toString(),
                    "--work", work.resolve("register-cluster").toString()), work.resolve("register"));
            say("4a/4 " + registerPhones + " registrations to the simulated registrar (" + sipClusterFile + "), "
                    + RegistrationBench.IN_FLIGHT + " in flight");
            RegistrationStorm.Result simStorm = RegistrationBench.againstSimulated(sipBase, work.resolve("key-pool-2048"),
                    work.resolve("storm-sim"), registerPhones);
            Optional<RegistrationStorm.Result> kamStorm = RegistrationBench.againstKamailio(program("/usr/sbin/kamailio", "kamailio"),
                    work.resolve("key-pool-2048"), work.resolve("storm-kamailio"), registerPhones, this::say);
            return new RegistrationRuns(reg, simStorm, kamStorm);
        }

        private void throughputTable(ThroughputRuns runs) {
            FleetFigures sim = runs.sim();
            FleetFigures overTftp = runs.tftpd().overTftp();
            FleetFigures overHttp = runs.tftpd().overHttp();
            String fmt = "%-52s %7s %15s %9s %13s %9s %5s";
            say(String.format(Locale.ROOT, fmt, "RUN", "PHONES", "SET-UP s (CPU)", "BOOTS/S", "BOOTS/CPU-S", "PEAK RSS", "EXIT"));
            row(fmt, "fleet --sim: first boot", simPhones, sim, 0);
            warmRow(fmt, runs.warm());
            row(fmt, "fleet --sim: reboot, nothing changed", simPhones, sim, 1);
            row(fmt, "fleet --sim: reboot asking TVS (CallManager regen)", simPhones, sim, 2);
            if (overTftp != null) {
                row(fmt, "fleet --tftp tftpd-hpa: first boot (verified)", tftpPhones, overTftp, 0);
            }
            if (overHttp != null) {
                row(fmt, "fleet, same files over HTTP 6970 (nginx): first boot", tftpPhones, overHttp, 0);
            }
            PeerFigures peer = runs.tftpd().peer();
            if (peer.ran()) {
                peerRows(fmt, sim, overTftp, peer.bootsPerSecond());
            }
            // Against tftpd-hpa, wall time measures tftpd-hpa (a fork per transfer); what each client spends is its CPU.
            if (overTftp != null && overTftp.phones() > 0) {
                double fleetCpu = overTftp.setupCpu() + overTftp.roundCpu().stream().mapToDouble(Double::doubleValue).sum();
                double peerCpuMsPerBoot = peer.cpuMsPerBoot();
                say(String.format(Locale.ROOT, "client CPU per boot against the same tftpd-hpa: fleet %.1f ms (verified: trust lists, "
                        + "signatures, config; set-up included, JVM start not)%s", fleetCpu * 1000 / overTftp.phones(),
                        Double.isNaN(peerCpuMsPerBoot) ? "" : String.format(Locale.ROOT, ", shell-script peer %.1f ms (3 files, nothing verified): %.1fx",
                                peerCpuMsPerBoot, peerCpuMsPerBoot / (fleetCpu * 1000 / overTftp.phones()))));
            }
        }

        private void peerRows(String fmt, FleetFigures sim, FleetFigures overTftp, double peer) {
            say(String.format(Locale.ROOT, fmt, "shell script peer (curl, 3 files, 16 parallel)", peerPhones, "-",
                    String.format(Locale.ROOT, "%.1f", peer), "-", "-", "-"));
            if (overTftp != null && !overTftp.boots().isEmpty()) {
                say(String.format(Locale.ROOT, "fleet vs the shell-script peer against the same tftpd-hpa: %.0fx (%.1f / %.1f boots/s)",
                        overTftp.boots().get(0) / peer, overTftp.boots().get(0), peer));
            }
            if (!sim.boots().isEmpty()) {
                say(String.format(Locale.ROOT, "fleet --sim first boot vs the shell-script peer: %.0fx", sim.boots().get(0) / peer));
            }
        }

        private void registrationTable(RegistrationRuns runs) {
            FleetFigures reg = runs.fleet();
            String regFmt = "%-52s %7s %12s %9s %9s  %s";
            say(String.format(Locale.ROOT, regFmt, "REGISTRATION (new mutual TLS, RSA-2048 server key)", "PHONES", "REGISTERED", "REG/S",
                    "P50/P99 ms", ""));
            say(String.format(Locale.ROOT, regFmt, "fleet --sim --register: reboot (TFTP checks + TLS + REGISTER)", registerPhones,
                    reg.registered(), reg.boots().size() > 1 ? String.format(Locale.ROOT, "%.1f", reg.boots().get(1) * reg.registered()
                            / Math.max(1, reg.phones())) : "-", reg.registrationLatency(), reg.exit() == 0 ? "" : "exit " + reg.exit()));
            storm(regFmt, "storm: fleet's SIP client -> simulated registrar", runs.simulated());
            runs.simulated().costLine().ifPresent(line -> say("    " + line));
            runs.kamailio().ifPresent(k -> storm(regFmt, "storm: fleet's SIP client -> Kamailio (tls.so)", k));
        }

        /**
         * The HTTP row: the same exported files served by nginx over HTTP (the 6970 role), the fleet's phones made to
         * provision over HTTP ({@code --transport http}), tftpd-hpa behind for the fallback. Null when nginx is missing.
         */
        private FleetFigures overHttp(Path files, int tftpPort) throws IOException, InterruptedException {
            Optional<Path> nginx = program("/usr/sbin/nginx", "nginx");
            if (nginx.isEmpty()) {
                say("2b/3 skipped: nginx is not installed");
                return null;
            }
            Optional<NginxPeer> web = NginxPeer.start(nginx.get(), files, work.resolve("nginx"));
            if (web.isEmpty()) {
                say("2b/3 skipped: nginx did not start (" + work.resolve("nginx").resolve("error.log") + ")");
                return null;
            }
            try (NginxPeer w = web.get()) {
                say("2b/3 fleet --tftp 127.0.0.1:" + tftpPort + " --transport http --http-port " + w.port() + " (nginx serving the same files) --phones "
                        + tftpPhones + " --flash memory");
                return fleet(List.of("--tftp", "127.0.0.1:" + tftpPort, "--phones", Integer.toString(tftpPhones), "--transport", "http",
                        "--http-port", Integer.toString(w.port())), work.resolve("http"));
            }
        }

        /** The warm first boot: the median of the runs' boots/s and boots per CPU second (the machine is shared: noisy). */
        private void warmRow(String fmt, List<FleetFigures> runs) {
            List<Double> perCpu = new ArrayList<>();
            List<Double> perSecond = new ArrayList<>();
            for (FleetFigures f : runs) {
                if (f.exit() == 0 && !f.boots().isEmpty() && !f.roundCpu().isEmpty() && f.roundCpu().get(0) > 0) {
                    perCpu.add(f.phones() / f.roundCpu().get(0));
                    perSecond.add(f.boots().get(0));
                }
            }
            String all = perCpu.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).collect(java.util.stream.Collectors.joining(" "));
            say(String.format(Locale.ROOT, fmt, "fleet --sim: first boot, warm JVM (median of " + perCpu.size() + ")", warmPhones, "",
                    perSecond.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", median(perSecond)),
                    perCpu.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", median(perCpu)), "", perCpu.size() == runs.size() ? 0 : 1)
                    + (perCpu.size() > 1 ? "   runs: " + all + " boots/CPU-s" : ""));
        }

        static double median(List<Double> values) {
            List<Double> v = new ArrayList<>(values);
            java.util.Collections.sort(v);
            int n = v.size();
            return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        }

        private void storm(String fmt, String name, RegistrationStorm.Result r) {
            say(String.format(Locale.ROOT, fmt, name, r.phones(), r.registered(), String.format(Locale.ROOT, "%.1f", r.perSecond()),
                    String.format(Locale.ROOT, "%.0f/%.0f", r.p50(), r.p99()), r.firstFailure().map(f -> "first failure: " + f).orElse("")));
        }

        private void row(String fmt, String name, int phones, FleetFigures f, int round) {
            String boots = round < f.boots().size() ? String.format(Locale.ROOT, "%.1f", f.boots().get(round)) : "-";
            say(String.format(Locale.ROOT, fmt, name, phones,
                    round == 0 ? String.format(Locale.ROOT, "%.1f (%.1f)", f.setup(), f.setupCpu()) : "", boots, f.perCpuSecond(round),
                    round == 0 && f.peakRssMb() > 0 ? String.format(Locale.ROOT, "%.0f MB", f.peakRssMb()) : "", round == 0 ? f.exit() : ""));
        }

        /** Runs {@code phone-emu fleet} in its own JVM and reads its summary.json. */
        private FleetFigures fleet(List<String> args, Path report) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PhoneEmu.class.getName(), "fleet"));
            cmd.addAll(args);
            cmd.addAll(List.of("--flash", "memory", "--report", report.toString(), "--progress", "10"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("crypto:") || line.startsWith("fleet:") || line.startsWith("warm-up:") || line.matches("^(first boot|reboot \\d+): .*")
                            || line.startsWith("phone-emu:") || line.startsWith("Peak RSS")) {
                        say("    " + line);
                    }
                }
            }
            int exit = p.waitFor();
            Path summary = report.resolve("summary.json");
            if (!Files.exists(summary)) {
                return new FleetFigures(exit, List.of(), 0, 0, 0, List.of(), 0, 0, "-");
            }
            String json = Files.readString(summary);
            List<Double> boots = new ArrayList<>();
            Matcher m = Pattern.compile("\"bootsPerSecond\": ([0-9.]+)").matcher(json);
            while (m.find()) {
                boots.add(Double.parseDouble(m.group(1)));
            }
            List<Double> cpu = new ArrayList<>();
            Matcher c = Pattern.compile("\"roundCpuSeconds\": \"([0-9. ]*)\"").matcher(json);
            if (c.find()) {
                for (String v : c.group(1).strip().split(" +")) {
                    if (!v.isEmpty()) {
                        cpu.add(Double.parseDouble(v));
                    }
                }
            }
            Matcher n = Pattern.compile("\"phones\": ([0-9]+)").matcher(json);
            Matcher registered = Pattern.compile("\"registrations\": \\{[^}]*\"registered\": ([0-9]+)").matcher(json);
            Matcher latency = Pattern.compile("\"registration\": \\{\"count\": [1-9][0-9]*, \"p50\": ([0-9.]+), \"p90\": [0-9.]+, \"p99\": ([0-9.]+)")
                    .matcher(json);
            return new FleetFigures(exit, boots, number(json, "setupSeconds"), number(json, "peakRssMb"), number(json, "setupCpuSeconds"),
                    cpu, n.find() ? Integer.parseInt(n.group(1)) : 0, registered.find() ? Integer.parseInt(registered.group(1)) : 0,
                    latency.find() ? String.format(Locale.ROOT, "%.0f/%.0f", Double.parseDouble(latency.group(1)), Double.parseDouble(latency.group(2))) : "-");
        }

        private static double number(String json, String key) {
            Matcher m = Pattern.compile("\"" + key + "\": \"([0-9.]+)\"").matcher(json);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }

        /** The publisher's TFTP files of the cluster plus {@code phones} generated devices, as tftpd-hpa will serve them. */
        private int export(ClusterSpec base, int phones, Path dir) throws IOException {
            List<Device> devices = DeviceList.generated(DeviceList.DEFAULT_MAC_BASE, phones, DeviceList.DEFAULT_MODEL);
            ClusterSpec spec = SimCluster.withDevices(base, devices);
            Lab.deleteWorkDirectory(dir);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            int n = 0;
            try (Cluster cluster = Cluster.builder().spec(spec).stateDirectory(work.resolve("export-cluster")).clock(Clock.systemUTC())
                    .freshState(true).mirrorFiles(false).build()) {
                for (TftpFile f : cluster.files(cluster.publisher().id()).files()) {
                    Path p = dir.resolve(f.name());
                    Files.write(p, f.bytes());
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
                    n++;
                }
            }
            return n;
        }

        private static int freeUdpPort() throws IOException {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                return s.getLocalPort();
            }
        }

        private static Optional<Path> program(String usual, String name) {
            if (Files.isExecutable(Path.of(usual))) {
                return Optional.of(Path.of(usual));
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        /** The shipped peer script: under the current directory, else next to the jar's project. */
        private static Optional<Path> script() {
            Path here = Path.of("scripts", "tftp-boot-storm.sh");
            if (Files.isRegularFile(here)) {
                return Optional.of(here);
            }
            try {
                Path jar = Path.of(PhoneEmu.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                    Path s = p.resolve("scripts").resolve("tftp-boot-storm.sh");
                    if (Files.isRegularFile(s)) {
                        return Optional.of(s);
                    }
                }
            } catch (Exception e) {
                return Optional.empty();
            }
            return Optional.empty();
        }

        private static String machine() {
            String cpu = "?";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
            } catch (IOException e) {
                // not Linux: the core count and JVM still say something
            }
            long memMb = 0;
            try {
                memMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(0L);
            } catch (IOException | NumberFormatException e) {
                // unknown
            }
            return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + (memMb > 0 ? memMb + " MB RAM, " : "")
                    + "Java " + System.getProperty("java.version");
        }

        private static String load() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).strip();
            } catch (IOException e) {
                return "unknown";
            }
        }

        private void say(String line) {
            out.println(line);
            out.flush();
        }
    }
}
