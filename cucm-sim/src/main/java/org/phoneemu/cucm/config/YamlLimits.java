package org.phoneemu.cucm.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The bounds of every YAML file phone-emu reads (cluster and scenario files) and the one-line description of a YAML
 * mistake: where (line, column) and what.
 */
public final class YamlLimits {
    private YamlLimits() {
    }

    /** Deepest nesting of mappings and lists a cluster file may have (real ones have 5). */
    public static final int MAX_DEPTH = 32;

    /** Bounds on what a cluster or scenario file can make the parser do: size, aliases, nesting. */
    public static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(1 << 20);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    /** SnakeYAML's words for too many aliases of collections, with the limit. */
    private static final java.util.regex.Pattern ALIASES = java.util.regex.Pattern.compile("aliases for non-scalar nodes exceeds the specified max=(\\d+)");

    /** {@code " at line 3, column 2: expected <block end>, but found '<block mapping start>'"}: where, and what, in one line. */
    public static String problem(YAMLException e) {
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            String problem = m.getProblem() == null ? "" : m.getProblem().lines().findFirst().orElse("");
            String context = m.getContext() == null ? "" : m.getContext().lines().findFirst().orElse("");
            return " at line " + (m.getProblemMark().getLine() + 1) + ", column " + (m.getProblemMark().getColumn() + 1) + ": "
                    + (problem.isEmpty() ? context : problem);
        }
        String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        java.util.regex.Matcher aliases = ALIASES.matcher(first);
        if (aliases.find()) {
            return aliases.group(1).equals("0") ? ": aliases of lists or mappings (&name, *name) are not allowed in this file"
                    : ": more than " + aliases.group(1) + " aliases of lists or mappings";
        }
        return first.isEmpty() ? "" : ": " + first;
    }
}
