package org.phoneemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.testing.Vectors;

/**
 * No method or constructor of any module's main code is longer than {@link LongMethods#LIMIT} lines (docs/ARCHITECTURE.md,
 * "Rules and where they are enforced"): a longer one is split by concern into small named methods or types.
 */
class MethodLengthTest {
    /**
     * Methods still over the limit, each being split on its own branch: a line goes when its method is split, and no
     * line is ever added (the second test fails once a listed method is within the limit, so the list only shrinks).
     */
    private static final Set<String> NOT_YET_SPLIT = Set.of(
            "cucm-sim StateStore.load");

    private static List<LongMethods.LongMethod> over;

    @BeforeAll
    static void scan() throws Exception {
        Path root = Vectors.root().getParent();
        over = LongMethods.over(root, LongMethods.LIMIT);
    }

    @Test
    void everyMainMethodIsWithinTheLimit() {
        List<String> tooLong = over.stream().filter(m -> !NOT_YET_SPLIT.contains(key(m))).map(LongMethods.LongMethod::row).toList();
        assertThat(tooLong)
                .as("main-code methods longer than %d lines (declaration to closing brace, comments included): split each by concern "
                        + "into small named methods or types, records for values (docs/ARCHITECTURE.md, \"Rules and where they are enforced\"); "
                        + "scripts/long-methods.py lists them", LongMethods.LIMIT)
                .isEmpty();
    }

    @Test
    void theAllowListOnlyNamesMethodsStillOverTheLimit() {
        List<String> stillLong = over.stream().map(MethodLengthTest::key).toList();
        assertThat(NOT_YET_SPLIT.stream().filter(k -> !stillLong.contains(k)).sorted().toList())
                .as("methods of MethodLengthTest.NOT_YET_SPLIT now within %d lines (or renamed): remove their lines", LongMethods.LIMIT)
                .isEmpty();
    }

    private static String key(LongMethods.LongMethod m) {
        return m.module() + " " + m.name();
    }
}
