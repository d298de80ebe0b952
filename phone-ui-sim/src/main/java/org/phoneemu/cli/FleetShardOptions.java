package org.phoneemu.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.Fleet;
import org.phoneemu.fleet.Verdict;
import org.phoneemu.fleet.shard.Shard;
import org.phoneemu.fleet.shard.ShardManifest;
import org.phoneemu.fleet.shard.StartGate;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options of {@code fleet} that make one process a part of a larger run: which shard it is, when the storm
 * starts, the run's id, live metrics, and a dry run that only checks and prints the plan.
 */
final class FleetShardOptions {
    /** The variable a Kubernetes Indexed Job sets to each pod's index. */
    static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";

    /** Options that differ between the processes of one run (paths, ports, the index): not part of the run's identity. */
    private static final Set<String> PER_PROCESS = Set.of("--shard-index", "--report", "--metrics-port", "--metrics-address", "--metrics-linger",
            "--dry-run", "--progress", "--work", "--key-pool", "--flash", "--run-id", "--jdk-crypto");

    /** The environment (a field so that tests can give another). */
    static UnaryOperator<String> environment = System::getenv;

    @Option(names = "--shard-count", paramLabel = "N",
            description = "this process runs one of N disjoint parts of the fleet (see --shard-index); the N parts together are the whole fleet")
    Integer shardCount;

    @Option(names = "--shard-index", paramLabel = "I",
            description = "which part, 0..N-1 (default: the environment's " + INDEX_VARIABLE + ", as a Kubernetes Indexed Job sets it)")
    Integer shardIndex;

    @Option(names = "--start-at", paramLabel = "INSTANT",
            description = {"set up the phones, then wait until this moment (ISO-8601, e.g. 2026-11-26T15:00:00Z) to start the",
                    "storm, so that shards started at different times boot together; a moment already past starts at once"})
    String startAt;

    @Option(names = "--run-id", paramLabel = "ID",
            description = {"names the run in the shard report, so that 'fleet merge' only merges parts of one run",
                    "(default: derived from the options shared by all shards, so every shard of one command line agrees)"})
    String runId;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Option(names = "--dry-run", description = "check the options and inputs and print the plan; start nothing (exit 0, or 2 for bad input)")
    boolean dryRun;

    private Instant started;

    /** What this process will run. */
    record Plan(String runId, Shard shard, int runPhones, List<Device> devices, Optional<Instant> startAt, Verdict expected,
                String options) {
        /** The plan in a few lines (printed by a dry run and at the start of a sharded run). */
        List<String> describe() {
            List<String> out = new ArrayList<>();
            int from = shard.from(runPhones);
            out.add(String.format(Locale.ROOT, "%s of run %s: %d of %d phones%s", shard.isWhole() ? "the whole fleet" : shard.toString(),
                    runId, devices.size(), runPhones, devices.isEmpty() ? ""
                            : String.format(Locale.ROOT, " (#%d..#%d, %s..%s)", from, from + devices.size() - 1,
                            devices.get(0).mac(), devices.get(devices.size() - 1).mac())));
            out.add("start: " + startAt.map(Instant::toString).orElse("as soon as the phones are set up"));
            return out;
        }
    }

    /** Checks the shard options and cuts this process's part out of {@code all}. */
    Plan plan(CommandSpec spec, List<Device> all, Verdict expected) {
        Shard shard = shard();
        Optional<Instant> start = Optional.ofNullable(startAt).map(FleetShardOptions::instant);
        metrics.check();
        String options = sharedOptions(spec);
        String id = runId != null ? runId : derivedId(options);
        if (id.isBlank() || !id.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--run-id '" + id + "': use 1 to 128 letters, digits and . _ : -");
        }
        return new Plan(id, shard, all.size(), List.copyOf(shard.slice(all)), start, expected, options);
    }

    private Shard shard() {
        if (shardCount == null) {
            if (shardIndex != null) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--shard-index needs --shard-count");
            }
            return Shard.whole();
        }
        int index;
        if (shardIndex != null) {
            index = shardIndex;
        } else {
            String env = environment.apply(INDEX_VARIABLE);
            if (env == null || env.isBlank()) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--shard-count " + shardCount + " needs --shard-index (or " + INDEX_VARIABLE
                        + " in the environment)");
            }
            try {
                index = Integer.parseInt(env.strip());
            } catch (NumberFormatException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, INDEX_VARIABLE + "='" + env + "' is not a shard index");
            }
        }
        try {
            return new Shard(index, shardCount);
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--shard-index/--shard-count: " + e.getMessage());
        }
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--start-at '" + s + "' is not an ISO-8601 instant (e.g. 2026-11-26T15:00:00Z)");
            }
        }
    }

    /** The options every shard of one run shares, in a fixed order: what identifies the run. */
    private static String sharedOptions(CommandSpec spec) {
        List<String> parts = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!PER_PROCESS.contains(o.longestName())) {
                parts.add(o.longestName() + "=" + String.join(",", o.originalStringValues()));
            }
        }
        parts.sort(null);
        return String.join(" ", parts);
    }

    private static String derivedId(String options) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(options.getBytes(StandardCharsets.UTF_8));
            return "run-" + HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With --metrics-port: binds the endpoint for {@code fleet} and says where it is. */
    void startMetrics(Fleet fleet, Consumer<String> say) {
        metrics.start(fleet, say);
    }

    void stopMetrics() {
        metrics.stop();
    }

    /** With --start-at: waits (on a timer thread, by the system clock) until the agreed moment. */
    void awaitStart(Plan plan, Consumer<String> say) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        if (plan.startAt().isPresent()) {
            Instant at = plan.startAt().get();
            Duration left = Duration.between(clock.instant(), at);
            if (left.isNegative()) {
                say.accept("start: " + at + " has passed (" + left.negated().toMillis() + " ms ago); starting now");
            } else {
                say.accept("start: waiting " + left.toMillis() + " ms until " + at);
                ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "fleet-start-gate");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    StartGate.at(at, clock, timer).get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } finally {
                    timer.shutdownNow();
                }
            }
        }
        started = clock.instant();
    }

    /** Writes {@code shard.properties} next to the report files. */
    void writeManifest(Path report, Plan plan) throws IOException {
        new ShardManifest(plan.runId(), plan.shard(), plan.startAt(), started == null ? Instant.now() : started, plan.runPhones(),
                plan.devices().size(), plan.expected(), plan.options()).write(report);
    }

    /** Checks a {@code HOST[:PORT]} without resolving the name (a dry run may run where the cluster's names do not resolve). */
    static void checkHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.\\-\\[\\]]+")) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--tftp '" + hostPort + "': not a host name or address");
        }
        if (colon > 0) {
            try {
                int port = Integer.parseInt(hostPort.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new UserError(PhoneEmu.BAD_INPUT, "port out of range in '" + hostPort + "'");
                }
            } catch (NumberFormatException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "bad port in '" + hostPort + "'");
            }
        }
    }
}
