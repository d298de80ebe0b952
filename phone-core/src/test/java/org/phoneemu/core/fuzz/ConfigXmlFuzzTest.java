package org.phoneemu.core.fuzz;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.phoneemu.core.config.ConfigException;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.testing.Vectors;

/**
 * Coverage-guided fuzzing (Jazzer) of the config XML parser, which reads the body of every config a phone
 * downloads (docs/FUZZING.md). The contract: for any bytes, {@link PhoneConfigParser#parse} returns a config or throws
 * {@link ConfigException}; no {@code StackOverflowError}, no other exception, no hang; every accessor answers.
 */
class ConfigXmlFuzzTest {
    static final String SHORT_RUN = "5s";

    static Stream<Arguments> seeds() throws Exception {
        String interop = Files.readString(Vectors.interop("sgn/SEP001122334455.cnf.xml"));
        return Stream.of(interop,
                        "<device><fullConfig>false</fullConfig><encrConfig>true</encrConfig><certHash>ab</certHash></device>",
                        "<device><directoryURL>https://[bad uri/</directoryURL><TVS><members><member priority=\"0\">"
                                + "<port>99999</port><address>a</address></member></members></TVS></device>")
                .map(s -> arguments((Object) s.getBytes(StandardCharsets.UTF_8)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = SHORT_RUN)
    void parseConfig(byte[] data) {
        PhoneConfig c;
        try {
            c = PhoneConfigParser.parse(data);
        } catch (ConfigException expected) {
            return;
        }
        c.directoryUrl().ifPresent(u -> java.net.URI.create(u));
        c.servicesUrl().ifPresent(u -> java.net.URI.create(u));
        c.tvsServers().forEach(t -> {
            if (t.port() < 1 || t.port() > 65535) {
                throw new IllegalStateException("TVS port out of range got through: " + t);
            }
        });
        c.isEncryptedStub();
        c.vendorConfig().settingsAccessAllowed();
        c.refusedFields();
        c.toString();
    }
}
