package org.phoneemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phoneemu.core.testing.Vectors;

/**
 * No method or constructor of any module's main code is longer than {@link LongMethods#LIMIT} lines (docs/ARCHITECTURE.md,
 * "Rules and where they are enforced"): a longer one is split by concern into small named methods or types.
 */
class MethodLengthTest {
    private static List<LongMethods.LongMethod> over;

    @BeforeAll
    static void scan() throws Exception {
        Path root = Vectors.root().getParent();
        over = LongMethods.over(root, LongMethods.LIMIT);
    }

    @Test
    void everyMainMethodIsWithinTheLimit() {
        List<String> tooLong = over.stream().map(LongMethods.LongMethod::row).toList();
        assertThat(tooLong)
                .as("main-code methods longer than %d lines (declaration to closing brace, comments included): split each by concern "
                        + "into small named methods or types, records for values (docs/ARCHITECTURE.md, \"Rules and where they are enforced\"); "
                        + "scripts/long-methods.py lists them", LongMethods.LIMIT)
                .isEmpty();
    }

    @Test
    void theCounterSeesTheMainCodeOfEveryModule() throws Exception {
        // Without this the limit could hold because the scan found nothing: at a limit of 20 lines every module with
        // main code has some longer method.
        Path root = Vectors.root().getParent();
        assertThat(LongMethods.over(root, 20).stream().map(LongMethods.LongMethod::module).distinct().toList())
                .as("modules with a main-code method over 20 lines")
                .contains("phone-core", "cucm-sim", "phone-device", "phone-sip-client", "phone-fleet", "phone-tac", "phone-ui-sim", "phone-web");
    }
}
