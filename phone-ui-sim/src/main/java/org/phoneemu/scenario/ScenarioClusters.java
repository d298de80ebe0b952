package org.phoneemu.scenario;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.phoneemu.scenario.ScenarioParser.ScenarioException;

/**
 * The clusters of a scenario file: {@code cluster: FILE} (one cluster, named {@value Scenario#HOME}) or
 * {@code clusters: {A: FILE, B: FILE}} (several, the phones starting on the first), and the checks that steps name
 * only those.
 */
final class ScenarioClusters {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    private ScenarioClusters() {
    }

    static Map<String, Path> read(Map<?, ?> map, Path file) throws ScenarioException {
        Path dir = file.toAbsolutePath().getParent();
        Object one = map.get("cluster");
        Object many = map.get("clusters");
        if (one != null && many != null) {
            throw new ScenarioException(file + ": give 'cluster' (one cluster file) or 'clusters' (name: file, ...), not both");
        }
        Map<String, Path> out = new LinkedHashMap<>();
        if (one instanceof String c) {
            out.put(Scenario.HOME, dir.resolve(c).normalize());
            return out;
        }
        if (!(many instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new ScenarioException(file + ": 'cluster' (a cluster file path) or 'clusters' (name: cluster file, ...) is required");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!NAME.matcher(name).matches()) {
                throw new ScenarioException(file + ": cluster name '" + name + "' must be letters, digits, '-' or '_'");
            }
            if (!(e.getValue() instanceof String f)) {
                throw new ScenarioException(file + ": clusters." + name + " must be a cluster file path");
            }
            out.put(name, dir.resolve(f).normalize());
        }
        return out;
    }

    /** Every {@code cluster:} of an admin step and every {@code move} names a cluster of the file. */
    static void checkSteps(List<Scenario.Step> steps, Map<String, Path> clusters, Path file) throws ScenarioException {
        for (Scenario.Step s : steps) {
            String named = s instanceof Scenario.Step.Admin a ? a.cluster() : s instanceof Scenario.Step.Move m ? m.to() : "";
            if (!named.isEmpty() && !clusters.containsKey(named)) {
                throw new ScenarioException(file + ": step " + s.line() + ": no cluster '" + named + "' (clusters: "
                        + String.join(", ", clusters.keySet()) + ")");
            }
        }
    }
}
