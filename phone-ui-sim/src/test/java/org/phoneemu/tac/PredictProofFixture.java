package org.phoneemu.tac;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trust.MenuResult;
import org.phoneemu.core.tvs.TvsServerAnswer;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.scenario.Scenario;
import org.phoneemu.scenario.ScenarioParser;
import org.phoneemu.tac.predict.PhoneOutcome;
import org.phoneemu.tac.predict.TvsConsultation;
import org.phoneemu.tac.predict.Verdict;

/**
 * What the two predict-against-lab proofs ({@link PredictAgainstLabTest}, {@link PredictMigrationAgainstLabTest}) set up
 * and compare alike: the phones' network for the whole class (registered as an extension), the scenario files a proof
 * covers, each phone's state before a boot, and a boot compared with its prediction (verdict, new ITL, TVS asked and
 * what each TVS answered).
 */
final class PredictProofFixture implements BeforeAllCallback, AfterAllCallback {
    static final long STEP_TIMEOUT_SECONDS = 120;

    private MultiThreadIoEventLoopGroup group;
    private NettyPhoneNetwork network;

    @Override
    public void beforeAll(ExtensionContext context) {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        network = new NettyPhoneNetwork(group);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        network.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    NettyPhoneNetwork network() {
        return network;
    }

    /** One test a scenario of config/scenarios whose name starts with one of {@code covered} ("s01"), every one there. */
    static Stream<DynamicTest> eachScenario(List<String> covered, ThrowingConsumer<Scenario> check) throws java.io.IOException {
        Path dir = Vectors.root().getParent().resolve("config").resolve("scenarios");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> covered.contains(p.getFileName().toString().substring(0, 3))).sorted().toList();
        }
        assertThat(files).hasSize(covered.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check.accept(ScenarioParser.parse(f))));
    }

    /** A phone before a boot: the MD5 of its installed ITL ("none") and how often it had asked TVS. */
    record Before(String itlMd5, int tvsContacts) {
        static Map<String, Before> of(List<Phone> phones) {
            Map<String, Before> out = new HashMap<>();
            for (Phone phone : phones) {
                out.put(phone.name(), new Before(phone.securityDaemon().trust().itl().map(l -> l.file().md5Hex()).orElse("none"),
                        phone.tvsContacts()));
            }
            return out;
        }
    }

    /** The boot of {@code phone} against its prediction: the verdict, whether a new ITL was installed, whether and how TVS answered. */
    static void compareBoot(String where, Phone phone, Before before, BootReport got, PhoneOutcome want, Map<String, String> address) {
        assertThat(Verdict.of(got.verdict())).as(where + ": verdict").isEqualTo(want.verdict());
        assertThat(!got.itlMd5().orElse("none").equals(before.itlMd5())).as(where + ": new ITL installed").isEqualTo(want.itlChanged());
        assertThat(phone.tvsContacts() > before.tvsContacts()).as(where + ": asked TVS").isEqualTo(want.askedTvs());
        List<TvsServerAnswer> asked = got.trustLists().stream().flatMap(s -> s.tvs().stream()).flatMap(a -> a.servers().stream()).toList();
        assertThat(tvsAnswers(address, asked)).as(where + ": what each TVS answered").isEqualTo(predictedAnswers(address, want.tvs()));
    }

    /** Every node of the clusters by host name and FQDN: its address. */
    static Map<String, String> addresses(Collection<Cluster> clusters) {
        Map<String, String> address = new HashMap<>();
        for (Cluster cluster : clusters) {
            cluster.nodes().forEach(n -> {
                address.put(n.hostname(), n.address().getHostAddress());
                address.put(n.fqdn(), n.address().getHostAddress());
            });
        }
        return address;
    }

    /** What each TVS did for the real phone, from its report's values: "address answer" (servers that gave no answer left out). */
    static List<String> tvsAnswers(Map<String, String> address, List<TvsServerAnswer> asked) {
        return asked.stream().filter(a -> a.reply() != TvsServerAnswer.Reply.NO_ANSWER)
                .map(a -> address.getOrDefault(a.host(), a.host()) + " " + switch (a.reply()) {
                    case VALID -> "valid";
                    case INVALID -> "invalid";
                    default -> "not trusted";
                }).toList();
    }

    /** The prediction's TVS consultations in the same words, each node by its address. */
    static List<String> predictedAnswers(Map<String, String> address, List<TvsConsultation> tvs) {
        return tvs.stream().filter(t -> !t.answer().equals("no TVS"))
                .map(t -> address.getOrDefault(t.node(), t.node()) + " " + t.answer()).toList();
    }

    /** A scenario's Trust List menu operation done on the phone. */
    static MenuResult menu(Phone phone, String operation) throws Exception {
        return (switch (operation) {
            case "erase-itl" -> phone.eraseItl();
            case "erase-ctl" -> phone.eraseCtl();
            default -> phone.factoryReset();
        }).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
