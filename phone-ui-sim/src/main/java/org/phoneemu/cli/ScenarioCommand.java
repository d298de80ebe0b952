package org.phoneemu.cli;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.scenario.JUnitXmlReport;
import org.phoneemu.scenario.Scenario;
import org.phoneemu.scenario.ScenarioParser;
import org.phoneemu.scenario.ScenarioResult;
import org.phoneemu.scenario.ScenarioRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = {"Run scenario files (config/scenarios/README.md) against the simulated cluster with a virtual clock.",
                "Exit 0 when every expectation holds, 1 when one fails, 2 when a file cannot be read."})
final class ScenarioCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "scenario files")
    List<Path> files = new ArrayList<>();

    @Option(names = "--junit", paramLabel = "report.xml", description = "write a JUnit XML report")
    Path junit;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = ".phone-emu/scenarios",
            description = "where cluster state and phone flash go (default: ${DEFAULT-VALUE})")
    Path work;

    @Option(names = {"-q", "--quiet"}, description = "print only the summary")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        List<Scenario> scenarios = new ArrayList<>();
        for (Path f : files) {
            try {
                scenarios.add(ScenarioParser.parse(UserInput.scenarioFile(f)));
            } catch (ScenarioParser.ScenarioException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
            }
        }
        Folders.writable(work, "--work");
        if (junit != null) {
            Folders.parentOf(junit, "--junit");
        }
        PrintWriter out = spec.commandLine().getOut();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<ScenarioResult> results = new ArrayList<>();
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            ScenarioRunner runner = new ScenarioRunner(work, clock -> network, quiet ? null : out);
            int i = 0;
            for (Scenario s : scenarios) {
                i++;
                ScenarioResult r = runner.run(s);
                results.add(r);
                out.println("[" + i + "/" + scenarios.size() + "] " + (r.passed() ? "PASS " : "FAIL ") + s.name()
                        + " (" + r.checks().size() + " checks, " + r.elapsed().toMillis() + " ms)"
                        + (r.error() != null ? " error: " + r.error() : ""));
                out.flush();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (junit != null) {
            JUnitXmlReport.write(junit, results);
            out.println("JUnit report: " + junit);
        }
        long passed = results.stream().filter(ScenarioResult::passed).count();
        out.println(passed + " passed, " + (results.size() - passed) + " failed");
        out.flush();
        return passed == results.size() ? 0 : PhoneEmu.REFUSED;
    }
}
