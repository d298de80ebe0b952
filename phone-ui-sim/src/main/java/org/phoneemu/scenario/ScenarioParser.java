package org.phoneemu.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.phoneemu.core.device.Mac;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads scenario files (YAML, safe constructor only: no arbitrary types). */
public final class ScenarioParser {
    /** Settings a {@code capf} step understands. */
    public static final Set<String> CAPF_KEYS = Set.of("phone", "operation", "authMode", "authString", "keySize", "keyType", "enter");

    private ScenarioParser() {
    }

    /** Thrown for a scenario file that cannot be run; the message names the file and the step. */
    public static final class ScenarioException extends Exception {
        public ScenarioException(String message) {
            super(message);
        }
    }

    public static Scenario parse(Path file) throws ScenarioException {
        String text;
        try {
            text = org.phoneemu.core.io.InputFiles.text(file, org.phoneemu.core.io.InputFiles.YAML_LIMIT);
        } catch (IOException e) {
            throw new ScenarioException("scenario file " + org.phoneemu.core.io.FileProblem.reading(file, e));
        }
        Object root;
        try {
            LoaderOptions options = org.phoneemu.cucm.config.YamlLimits.loaderOptions();
            // A scenario has no use for an alias of a list or mapping, and one that holds itself would be a cycle.
            options.setMaxAliasesForCollections(0);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ScenarioException("scenario file " + file + ": not valid YAML" + org.phoneemu.cucm.config.YamlLimits.problem(e));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ScenarioException(file + ": expected a mapping with name, cluster, phones and steps");
        }
        String name = string(map.get("name"), file.getFileName().toString());
        Map<String, Path> clusters = ScenarioClusters.read(map, file);
        Path clusterFile = clusters.values().iterator().next();
        List<String> phones = new ArrayList<>();
        Object p = map.get("phones");
        if (p instanceof List<?> list) {
            for (Object o : list) {
                phones.add(mac(o, file, "phones"));
            }
        } else if (p != null) {
            throw new ScenarioException(file + ": 'phones' must be a list of MAC addresses");
        }
        List<Scenario.Step> steps = new ArrayList<>();
        Object s = map.get("steps");
        if (!(s instanceof List<?> stepList)) {
            throw new ScenarioException(file + ": 'steps' (a list) is required");
        }
        int n = 0;
        for (Object o : stepList) {
            n++;
            steps.add(step(o, n, file));
        }
        ScenarioClusters.checkSteps(steps, clusters, file);
        return new Scenario(file, name, string(map.get("description"), ""), clusterFile, phones, steps, clusters);
    }

    private static Scenario.Step step(Object o, int n, Path file) throws ScenarioException {
        if (!(o instanceof Map<?, ?> m) || m.size() != 1) {
            throw new ScenarioException(file + ": step " + n + ": each step is one of admin, clock, boot, press, menu, capf, move, expect");
        }
        Map.Entry<?, ?> e = m.entrySet().iterator().next();
        String kind = String.valueOf(e.getKey());
        Object v = e.getValue();
        Map<String, Object> args = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> vm) {
            vm.forEach((k, val) -> args.put(String.valueOf(k), val));
        }
        String target = args.containsKey("phone") ? target(args.get("phone"), file, n) : "all";
        switch (kind) {
            case "admin":
                if (v instanceof String cmd) {
                    return new Scenario.Step.Admin(n, cmd, "", "");
                }
                return new Scenario.Step.Admin(n, require(args, "command", file, n), string(args.get("node"), ""),
                        string(args.get("output"), ""), string(args.get("cluster"), ""));
            case "move":
                return new Scenario.Step.Move(n, target, v instanceof String to ? to : require(args, "to", file, n));
            case "clock":
                return new Scenario.Step.Clock(n, seconds(v, file, n));
            case "boot":
            case "reset":
                return new Scenario.Step.Boot(n, v instanceof Map ? target : target(v, file, n));
            case "press":
                return press(n, target, v, args, file);
            case "menu":
                return menu(n, target, v, args, file);
            case "capf":
                return capf(n, target, args, file);
            case "expect":
                return expect(n, target, args, file);
            default:
                throw new ScenarioException(file + ": step " + n + ": unknown step '" + kind + "'");
        }
    }

    private static Scenario.Step press(int n, String target, Object v, Map<String, Object> args, Path file) throws ScenarioException {
        String button = v instanceof String b ? b : require(args, "button", file, n);
        button = button.toLowerCase(Locale.ROOT);
        if (!button.equals("directories") && !button.equals("services")) {
            throw new ScenarioException(file + ": step " + n + ": press takes directories or services, not " + button);
        }
        return new Scenario.Step.Press(n, target, button);
    }

    private static Scenario.Step menu(int n, String target, Object v, Map<String, Object> args, Path file) throws ScenarioException {
        String op = v instanceof String x ? x : require(args, "operation", file, n);
        if (!Set.of("erase-itl", "erase-ctl", "factory-reset").contains(op)) {
            throw new ScenarioException(file + ": step " + n + ": menu operation must be erase-itl, erase-ctl or factory-reset");
        }
        return new Scenario.Step.Menu(n, target, op, string(args.get("expect"), ""));
    }

    private static Scenario.Step capf(int n, String target, Map<String, Object> args, Path file) throws ScenarioException {
        for (String k : args.keySet()) {
            if (!CAPF_KEYS.contains(k)) {
                throw new ScenarioException(file + ": step " + n + ": unknown capf setting '" + k + "' (known: "
                        + String.join(", ", CAPF_KEYS.stream().sorted().toList()) + ")");
            }
        }
        if (target.equals("all")) {
            throw new ScenarioException(file + ": step " + n + ": capf needs a phone (the settings are per device)");
        }
        Map<String, Object> settings = new LinkedHashMap<>(args);
        settings.remove("phone");
        return new Scenario.Step.Capf(n, target, settings);
    }

    private static Scenario.Step expect(int n, String target, Map<String, Object> args, Path file) throws ScenarioException {
        Map<Expectation, Object> checks = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : args.entrySet()) {
            if (a.getKey().equals("phone")) {
                continue;
            }
            Expectation x = Expectation.forKey(a.getKey()).orElseThrow(() -> new ScenarioException(file + ": step " + n
                    + ": unknown expectation '" + a.getKey() + "' (known: " + String.join(", ", expectKeys()) + ")"));
            checks.put(x, a.getValue());
        }
        return new Scenario.Step.Expect(n, target, checks);
    }

    /** The keys an {@code expect} step understands, sorted: the target {@code phone} and every {@link Expectation}. */
    private static List<String> expectKeys() {
        List<String> keys = new ArrayList<>(Expectation.keys());
        keys.add("phone");
        keys.sort(null);
        return keys;
    }

    private static long seconds(Object v, Path file, int n) throws ScenarioException {
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("s")) {
                return Long.parseLong(s.substring(0, s.length() - 1).trim());
            }
            if (s.endsWith("m")) {
                return 60 * Long.parseLong(s.substring(0, s.length() - 1).trim());
            }
            if (s.endsWith("h")) {
                return 3600 * Long.parseLong(s.substring(0, s.length() - 1).trim());
            }
            if (s.endsWith("d")) {
                return 86400 * Long.parseLong(s.substring(0, s.length() - 1).trim());
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ScenarioException(file + ": step " + n + ": clock takes seconds (e.g. 300, 300s, 5m, 24h, 30d), not " + v);
        }
    }

    private static String target(Object t, Path file, int n) throws ScenarioException {
        return "all".equalsIgnoreCase(String.valueOf(t)) ? "all" : mac(t, file, "step " + n);
    }

    private static String mac(Object o, Path file, String where) throws ScenarioException {
        if (o instanceof Number) {
            throw new ScenarioException(file + ": " + where + ": MAC " + o + " was read as a number: quote MAC addresses (\"001122334455\")");
        }
        String s = String.valueOf(o);
        return Mac.parseWritten(s).map(Mac::hex)
                .orElseThrow(() -> new ScenarioException(file + ": " + where + ": '" + s + "' is not a MAC address"));
    }

    private static String require(Map<String, Object> args, String key, Path file, int n) throws ScenarioException {
        Object v = args.get(key);
        if (v == null) {
            throw new ScenarioException(file + ": step " + n + ": '" + key + "' is required");
        }
        return String.valueOf(v);
    }

    private static String string(Object o, String otherwise) {
        return o == null ? otherwise : String.valueOf(o);
    }
}
