package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.testing.Vectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/kubernetes checked as far as a machine without a Kubernetes cluster can: the manifests parse, the fleet's
 * is an Indexed batch/v1 Job whose completions, parallelism and --shard-count agree, and its command line, with the
 * variables expanded the way Kubernetes expands them for each index, is one that {@code fleet --dry-run} accepts.
 */
class KubernetesManifestTest {
    private static final Path DEPLOY = Vectors.root().getParent().resolve("deploy/kubernetes");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    @Test
    void theFleetManifestIsAnIndexedJobOfAsManyPodsAsShards() throws IOException {
        Map<String, Object> job = load("fleet-job.yaml");
        assertThat(job.get("apiVersion")).isEqualTo("batch/v1");
        assertThat(job.get("kind")).isEqualTo("Job");
        Map<String, Object> spec = map(job, "spec");
        assertThat(spec.get("completionMode")).isEqualTo("Indexed");
        assertThat(spec.get("completions")).isInstanceOf(Integer.class).isEqualTo(spec.get("parallelism"));
        assertThat(spec.get("backoffLimitPerIndex")).isInstanceOf(Integer.class);
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        assertThat(pod.get("restartPolicy")).isEqualTo("Never");
        Map<String, Object> container = fleetContainer(pod);
        List<String> args = strings(container.get("args"));
        assertThat(args.get(0)).isEqualTo("fleet");
        assertThat(container).doesNotContainKey("command");
        assertThat(Integer.parseInt(args.get(args.indexOf("--shard-count") + 1))).isEqualTo(spec.get("completions"));
        assertThat(args).doesNotContain("--shard-index"); // each pod takes its index from JOB_COMPLETION_INDEX

        // The reports go to the mounted volume.
        String report = args.get(args.indexOf("--report") + 1);
        List<Map<String, Object>> mounts = maps(container.get("volumeMounts"));
        assertThat(mounts).anySatisfy(m -> assertThat(report).startsWith(m.get("mountPath") + "/"));
        String volume = (String) mounts.get(0).get("name");
        Map<String, Object> claim = maps(pod.get("volumes")).stream().filter(v -> volume.equals(v.get("name"))).findFirst().orElseThrow();
        Map<String, Object> pvc = load("reports-pvc.yaml");
        assertThat(pvc.get("kind")).isEqualTo("PersistentVolumeClaim");
        // Every pod writes to it and the merge reads it: the claim the pods use, shared.
        assertThat(map(claim, "persistentVolumeClaim").get("claimName")).isEqualTo(map(pvc, "metadata").get("name"));
        assertThat(strings(map(pvc, "spec").get("accessModes"))).contains("ReadWriteMany");
    }

    @Test
    void everyPodsCommandLineIsOneFleetAccepts() throws IOException {
        Map<String, Object> job = load("fleet-job.yaml");
        Map<String, Object> spec = map(job, "spec");
        Map<String, Object> container = fleetContainer(map(map(spec, "template"), "spec"));
        int completions = (Integer) spec.get("completions");
        List<String> phonesSeen = new ArrayList<>();
        for (int index = 0; index < completions; index++) {
            Map<String, String> env = environment(job, container, index);
            List<String> args = new ArrayList<>();
            for (String a : strings(container.get("args"))) {
                args.add(expand(a, env));
            }
            args.add("--dry-run");
            // The pod's environment as the Job controller sets it (JOB_COMPLETION_INDEX included).
            FleetShardOptions.environment = env::get;
            Cli.Result r;
            try {
                r = Cli.run(args.toArray(String[]::new));
            } finally {
                FleetShardOptions.environment = System::getenv;
            }
            assertThat(r.code()).as(args + "\n" + r.out() + r.err()).isZero();
            assertThat(r.out()).contains("dry run: nothing started", "shard " + index + "/" + completions + " of run phone-emu-fleet: ",
                    "report: /reports/phone-emu-fleet/shard-" + index);
            Matcher m = Pattern.compile("\\(#(\\d+)\\.\\.#(\\d+),").matcher(r.out());
            assertThat(m.find()).as(r.out()).isTrue();
            phonesSeen.add(m.group(1) + ".." + m.group(2));
        }
        // 20,000 phones in 4 blocks of 5,000, in order and without overlap.
        assertThat(phonesSeen).containsExactly("0..4999", "5000..9999", "10000..14999", "15000..19999");
    }

    @Test
    void theMergeManifestIsAJobOverTheSameVolume() throws IOException {
        Map<String, Object> merge = load("merge-job.yaml");
        assertThat(merge.get("apiVersion")).isEqualTo("batch/v1");
        assertThat(merge.get("kind")).isEqualTo("Job");
        Map<String, Object> pod = map(map(map(merge, "spec"), "template"), "spec");
        Map<String, Object> c = maps(pod.get("containers")).get(0);
        assertThat(String.join(" ", strings(c.get("args")))).contains("fleet merge /reports/phone-emu-fleet/shard-* --out ");
        assertThat(maps(pod.get("volumes")).get(0)).containsKey("persistentVolumeClaim");
    }

    @Test
    void theImageIsTheBuiltJarOnAJava17Runtime() throws IOException {
        String docker = Files.readString(DEPLOY.resolve("Dockerfile"));
        assertThat(docker).containsPattern("(?m)^FROM \\S+:17-jre").contains("COPY phone-ui-sim/target/phone-emu.jar ")
                .containsPattern("(?m)^ENTRYPOINT \\[\"java\", .*\"-jar\", \"/opt/phone-emu/phone-emu.jar\"\\]");
    }

    /** The container's variables for pod {@code index}: its own values, the downward API's, and the Job controller's. */
    private static Map<String, String> environment(Map<String, Object> job, Map<String, Object> container, int index) {
        Map<String, String> env = new HashMap<>();
        env.put("JOB_COMPLETION_INDEX", Integer.toString(index));
        String name = (String) map(job, "metadata").get("name");
        for (Map<String, Object> e : maps(container.get("env"))) {
            if (e.containsKey("value")) {
                env.put((String) e.get("name"), String.valueOf(e.get("value")));
            } else {
                String field = (String) map(map(e, "valueFrom"), "fieldRef").get("fieldPath");
                assertThat(field).isEqualTo("metadata.labels['batch.kubernetes.io/job-name']");
                env.put((String) e.get("name"), name);
            }
        }
        return env;
    }

    /** Kubernetes' $(VAR) expansion in args: a defined variable is replaced, an undefined one left as written. */
    private static String expand(String arg, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(arg);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
        }
        return m.appendTail(b).toString();
    }

    private static Map<String, Object> fleetContainer(Map<String, Object> pod) {
        List<Map<String, Object>> containers = maps(pod.get("containers"));
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, Object> load(String file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Object doc = yaml.load(Files.readString(DEPLOY.resolve(file)));
        assertThat(doc).as(file).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) doc;
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertThat(v).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object v) {
        assertThat(v).isInstanceOf(List.class);
        return (List<Map<String, Object>>) v;
    }

    private static List<String> strings(Object v) {
        assertThat(v).isInstanceOf(List.class);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            assertThat(o).as("every arg is a string (quote numbers in the manifest)").isInstanceOf(String.class);
            out.add((String) o);
        }
        return out;
    }
}
