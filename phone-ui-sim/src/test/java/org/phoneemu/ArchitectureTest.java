package org.phoneemu;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Package rules of the whole reactor. This module depends on every other one, so its test class path holds the
 * main classes of all of them; test classes (directories and test jars) are left out.
 */
class ArchitectureTest {
    /** The main code of every reactor module that this test must see, by a package each one owns. */
    private static final Set<String> MODULE_PACKAGES = Set.of(
            "org.phoneemu.core", "org.phoneemu.tftp", "org.phoneemu.wire", "org.phoneemu.net", "org.phoneemu.tls", "org.phoneemu.tvs", "org.phoneemu.capf", "org.phoneemu.sip",
            "org.phoneemu.cucm",
            "org.phoneemu.phone", "org.phoneemu.web", "org.phoneemu.fleet", "org.phoneemu.tac", "org.phoneemu.cli");

    /** Packages of phone-core that take decisions: no file system, no sockets, no Netty. */
    private static final String[] DECISION_PACKAGES = {
        "org.phoneemu.core.trust..", "org.phoneemu.core.https..", "org.phoneemu.core.tvs..",
        "org.phoneemu.core.trustlist..", "org.phoneemu.core.config..", "org.phoneemu.core.encryption..",
        "org.phoneemu.core.signedfile..", "org.phoneemu.core.flash..", "org.phoneemu.core.status..",
        "org.phoneemu.core.console..", "org.phoneemu.core.device..", "org.phoneemu.core.dump..", "org.phoneemu.core.capf..",
        "org.phoneemu.core.sip.."};

    /** java.net, except the URI value type (parsing a config's URLs is not I/O). */
    private static final DescribedPredicate<JavaClass> NETWORK_OR_URLS = DescribedPredicate.describe("are java.net classes other than URI",
            c -> c.getPackageName().startsWith("java.net")
                    && !Set.of("java.net.URI", "java.net.URISyntaxException").contains(c.getName()));
    private static final DescribedPredicate<JavaClass> SOCKETS = DescribedPredicate.describe("are sockets",
            c -> Set.of("java.net.Socket", "java.net.ServerSocket", "java.net.DatagramSocket",
                    "java.net.MulticastSocket", "java.nio.channels.SocketChannel",
                    "java.nio.channels.ServerSocketChannel", "java.nio.channels.DatagramChannel",
                    "java.nio.channels.AsynchronousSocketChannel", "java.net.http.HttpClient",
                    "java.net.HttpURLConnection", "java.net.URLConnection").contains(c.getName()));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .withImportOption(ArchitectureTest::notInTestJar)
                .importPackages("org.phoneemu");
    }

    private static boolean notInTestJar(Location location) {
        return !location.contains("-tests.jar");
    }

    @Test
    void seesTheMainCodeOfEveryModuleAndNoTestCode() {
        Set<String> seen = new TreeSet<>();
        for (String module : MODULE_PACKAGES) {
            if (classes.stream().anyMatch(c -> (c.getPackageName() + ".").startsWith(module + "."))) {
                seen.add(module);
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(MODULE_PACKAGES);
        Set<String> tests = classes.stream().map(JavaClass::getSimpleName)
                .filter(n -> n.endsWith("Test")).collect(Collectors.toSet());
        assertThat(tests).isEmpty();
    }

    @Test
    void packagesHaveNoCycles() {
        // Every package is its own slice: org.phoneemu.cucm and org.phoneemu.cucm.config are two slices.
        slices().matching("org.phoneemu.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void phoneCoreDoesNoNetworkIo() {
        noClasses().that().resideInAPackage("org.phoneemu.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
                .orShould().dependOnClassesThat(SOCKETS)
                .check(classes);
    }

    @Test
    void phoneCoreDecisionsReachFlashOnlyThroughItsInterface() {
        noClasses().that().resideInAnyPackage(DECISION_PACKAGES)
                .should().dependOnClassesThat().resideInAnyPackage("org.phoneemu.core.store..", "java.nio.file..",
                        "java.nio.channels..")
                .orShould().dependOnClassesThat(NETWORK_OR_URLS)
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.FileOutputStream")
                .check(classes);
    }

    @Test
    void theTlsGateIsSharedAndCapfDoesNotDependOnTvs() {
        // phone-tls-client holds what TVS, HTTPS and CAPF share (the trust gate, the contexts, the failure mapping);
        // it knows none of them, and the CAPF client does not reach into the TVS client.
        noClasses().that().resideInAPackage("org.phoneemu.tls..")
                .should().dependOnClassesThat().resideInAnyPackage("org.phoneemu.tvs..", "org.phoneemu.capf..", "org.phoneemu.cucm..")
                .check(classes);
        noClasses().that().resideInAPackage("org.phoneemu.capf..")
                .should().dependOnClassesThat().resideInAnyPackage("org.phoneemu.tvs..")
                .check(classes);
    }

    @Test
    void theWebPagesKnowPhonesNotTheSimulatedCluster() {
        // The admin panel reaches CUCM through web.AdminConsole, which the lab implements.
        noClasses().that().resideInAPackage("org.phoneemu.web..")
                .should().dependOnClassesThat().resideInAnyPackage("org.phoneemu.cucm..", "org.phoneemu.cli..", "org.phoneemu.lab..")
                .check(classes);
    }

    @Test
    void theServersBoundingCodeStandsOnNettyAlone() {
        // net-limits is shared by cucm-sim, phone-web and phone-fleet, so it may use none of them (nor anything above).
        noClasses().that().resideInAPackage("org.phoneemu.net..")
                .should().dependOnClassesThat().resideInAnyPackage("org.phoneemu.core..", "org.phoneemu.cucm..", "org.phoneemu.web..",
                        "org.phoneemu.fleet..", "org.phoneemu.phone..", "org.phoneemu.cli..", "org.phoneemu.lab..")
                .check(classes);
    }
}
