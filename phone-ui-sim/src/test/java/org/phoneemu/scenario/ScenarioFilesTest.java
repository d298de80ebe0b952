package org.phoneemu.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.phone.NettyPhoneNetwork;

/**
 * Every acceptance scenario (config/scenarios/s*.yaml) against the simulated cluster over loopback, with the
 * JUnit XML report written to target/scenario-report.xml as CI would publish it.
 */
class ScenarioFilesTest {
    static MultiThreadIoEventLoopGroup group;
    static NettyPhoneNetwork network;
    static final List<ScenarioResult> results = new ArrayList<>();

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
    }

    @AfterAll
    static void stop() throws Exception {
        JUnitXmlReport.write(Path.of("target", "scenario-report.xml"), results);
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioFilePasses() throws Exception {
        Path dir = Vectors.root().getParent().resolve("config").resolve("scenarios");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("s\\d\\d-.*\\.yaml")).sorted().toList();
        }
        assertThat(files).hasSize(33);
        Path work = Files.createTempDirectory("scenarios");
        ScenarioRunner runner = new ScenarioRunner(work, clock -> network, new java.io.PrintWriter(System.out, true));
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ScenarioResult r = runner.run(ScenarioParser.parse(f));
            results.add(r);
            assertThat(r.error()).as("scenario error").isNull();
            assertThat(r.checks()).as("a scenario must check something").isNotEmpty();
            assertThat(r.checks()).filteredOn(c -> !c.passed()).as("failed checks").isEmpty();
        }));
    }
}
