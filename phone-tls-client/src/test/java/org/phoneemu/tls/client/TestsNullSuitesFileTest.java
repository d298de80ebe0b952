package org.phoneemu.tls.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The test JVMs' security properties file (config/tests-null-suites.security, surefire's argLine) is a copy of the JDK's
 * {@code jdk.tls.disabledAlgorithms} without NULL. On another JDK the copy would re-allow what that JDK disables: this
 * fails then, saying what the file must now hold (docs/SIP.md §5).
 */
class TestsNullSuitesFileTest {
    @Test
    void theTestsFileIsTheRunningJdksListWithoutNull() throws Exception {
        Properties jdk = load(Path.of(System.getProperty("java.home"), "conf", "security", "java.security"));
        Properties tests = load(Path.of("..", "config", "tests-null-suites.security"));
        String expected = NullSuites.withoutNull(jdk.getProperty(NullSuites.PROPERTY));
        assertThat(entries(tests.getProperty(NullSuites.PROPERTY)))
                .as("config/tests-null-suites.security must read: %s=%s", NullSuites.PROPERTY, expected)
                .isEqualTo(entries(expected));
    }

    private static Set<String> entries(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(e -> !e.isEmpty()).collect(Collectors.toSet());
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        return p;
    }
}
