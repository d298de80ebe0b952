package org.phoneemu;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * Each module's packages, by module: a module owns its packages (no package is split across modules), and the
     * rules below name modules by these packages. A new module gets a line here.
     */
    private static final Map<String, List<String>> MODULE_OWN_PACKAGES = Map.ofEntries(
            Map.entry("phone-core", List.of("org.phoneemu.core")),
            Map.entry("tftp-codec", List.of("org.phoneemu.tftp.packet")),
            Map.entry("wire-codec", List.of("org.phoneemu.wire")),
            Map.entry("net-limits", List.of("org.phoneemu.net")),
            Map.entry("tvs-codec", List.of("org.phoneemu.tvs.frame")),
            Map.entry("capf-codec", List.of("org.phoneemu.capf.wire")),
            Map.entry("phone-tftp-client", List.of("org.phoneemu.tftp.client", "org.phoneemu.tftp.boot")),
            Map.entry("phone-tls-client", List.of("org.phoneemu.tls")),
            Map.entry("phone-tvs-client", List.of("org.phoneemu.tvs.client", "org.phoneemu.tvs.https")),
            Map.entry("phone-capf-api", List.of("org.phoneemu.capf.api")),
            Map.entry("phone-capf-client", List.of("org.phoneemu.capf.client")),
            Map.entry("sip-codec", List.of("org.phoneemu.sip.codec")),
            Map.entry("phone-sip-client", List.of("org.phoneemu.sip.client")),
            Map.entry("cucm-sim", List.of("org.phoneemu.cucm")),
            Map.entry("phone-device", List.of("org.phoneemu.phone")),
            Map.entry("phone-tac", List.of("org.phoneemu.tac")),
            Map.entry("phone-web", List.of("org.phoneemu.web")),
            Map.entry("phone-fleet", List.of("org.phoneemu.fleet")),
            Map.entry("phone-ui-sim", List.of("org.phoneemu.cli", "org.phoneemu.lab", "org.phoneemu.scenario")));

    /**
     * The only packages of phone-core that touch files: {@code store} (the flash) and {@code io} (the files users give,
     * PEM files among them, and file problems in the user's words). Every other core package, present or future, is I/O-free (deny by default).
     */
    private static final String[] CORE_IO_PACKAGES = {"org.phoneemu.core.store..", "org.phoneemu.core.io.."};

    /** java.io's classes that open files by name or descriptor. */
    private static final DescribedPredicate<JavaClass> FILE_CLASSES = DescribedPredicate.describe("are java.io file classes",
            c -> c.getPackageName().equals("java.io")
                    && (c.getSimpleName().startsWith("File") || c.getSimpleName().equals("RandomAccessFile")));

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
    void phoneCoreTouchesFilesOnlyInStoreAndIo() {
        noClasses().that().resideInAPackage("org.phoneemu.core..").and().resideOutsideOfPackages(CORE_IO_PACKAGES)
                .should().dependOnClassesThat().resideInAnyPackage(CORE_IO_PACKAGES)
                .orShould().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.nio.channels..")
                .orShould().dependOnClassesThat(NETWORK_OR_URLS)
                .orShould().dependOnClassesThat(FILE_CLASSES)
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
    void eachModulesClassesAreInItsOwnPackages() {
        List<String> strays = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (JavaClass c : classes) {
            Optional<String> module = c.getSource().map(src -> moduleOf(src.getUri().toString())).flatMap(m -> m);
            if (module.isEmpty()) {
                continue;
            }
            seen.add(module.get());
            List<String> own = MODULE_OWN_PACKAGES.get(module.get());
            String pkg = c.getPackageName() + ".";
            if (own == null) {
                strays.add(module.get() + " (a module this test does not know: add it to MODULE_OWN_PACKAGES)");
            } else if (own.stream().noneMatch(p -> pkg.startsWith(p + "."))) {
                strays.add(c.getName() + " in " + module.get());
            }
        }
        assertThat(strays).as("classes outside their module's own packages").isEmpty();
        assertThat(seen).as("modules whose classes were found").containsExactlyInAnyOrderElementsOf(MODULE_OWN_PACKAGES.keySet());
    }

    /** The reactor module a class was loaded from: {@code .../<module>/target/classes/...} or {@code <module>-<version>.jar}. */
    private static Optional<String> moduleOf(String uri) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/([a-z][a-z-]*[a-z])(?:/target/classes/|-\\d[^/]*\\.jar!)").matcher(uri);
        if (!m.find()) {
            return Optional.empty();
        }
        String name = m.group(1);
        return MODULE_OWN_PACKAGES.containsKey(name) || name.startsWith("phone-") || name.endsWith("-codec") || name.equals("cucm-sim")
                ? Optional.of(name) : Optional.empty();
    }

    @Test
    void noModuleUsesAnotherModulesInternalPackages() {
        // A module's ..internal.. packages are its implementation: public for its own other packages, never for another
        // module, so what each module's other packages hold is what others are meant to use.
        List<String> reaches = new ArrayList<>();
        Set<String> internal = new TreeSet<>();
        for (JavaClass c : classes) {
            String from = ownerOf(c.getPackageName());
            for (com.tngtech.archunit.core.domain.Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getPackageName();
                if ((to + ".").contains(".internal.")) {
                    internal.add(to);
                    if (!ownerOf(to).equals(from)) {
                        reaches.add(c.getName() + " (" + from + ") uses " + d.getTargetClass().getName() + " (" + ownerOf(to) + ")");
                    }
                }
            }
        }
        assertThat(internal).as("internal packages the rule sees").contains("org.phoneemu.tac.internal.model");
        assertThat(reaches).as("uses of another module's internal packages").isEmpty();
    }

    /** The module that owns {@code pkg}: the one with the longest own package {@code pkg} lies in. */
    private static String ownerOf(String pkg) {
        String owner = "";
        int longest = -1;
        for (Map.Entry<String, List<String>> m : MODULE_OWN_PACKAGES.entrySet()) {
            for (String own : m.getValue()) {
                if ((pkg + ".").startsWith(own + ".") && own.length() > longest) {
                    owner = m.getKey();
                    longest = own.length();
                }
            }
        }
        return owner.isEmpty() ? pkg : owner;
    }

    /**
     * The application, phone-ui-sim (the {@code phone-emu} CLI): it sits on top of the module graph, so no module can
     * use its types. Its API is what is named from outside Java: the jar's main class (its POM's {@code mainClass}) and
     * the console log's converters (its logback.xml). Its other public types are shared by its own packages (cli, lab,
     * scenario) and promise nothing to other modules: the rule does not ask another module to use them, it checks that
     * none does. Moving them into {@code internal} packages would say nothing more.
     */
    private static final String APPLICATION = "phone-ui-sim";

    /**
     * Modules this class path does not hold: phone-bench (profile "bench") holds JMH benchmarks, public because JMH's
     * generated code extends them, and no module depends on it.
     */
    private static final Set<String> NOT_ON_THE_CLASS_PATH = Set.of("phone-bench");

    @Test
    void theApiRuleCoversEveryModuleOfThePoms() throws IOException {
        Path root = org.phoneemu.core.testing.Vectors.root().getParent();
        Set<String> poms = new TreeSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        while (m.find()) {
            poms.add(m.group(1).trim());
        }
        Set<String> covered = new TreeSet<>(MODULE_OWN_PACKAGES.keySet());
        covered.addAll(NOT_ON_THE_CLASS_PATH);
        assertThat(covered).as("the modules the rules know, and those this class path does not hold").isEqualTo(poms);
    }

    /** The application's entry points: its POM's main class and the classes its logback.xml names. */
    private static Set<String> applicationEntryPoints(Path root) throws IOException {
        Set<String> named = new TreeSet<>();
        Matcher main = Pattern.compile("<mainClass>([\\w.]+)</mainClass>").matcher(Files.readString(root.resolve(APPLICATION + "/pom.xml")));
        while (main.find()) {
            named.add(main.group(1));
        }
        Matcher log = Pattern.compile("class=\"(org\\.phoneemu\\.[\\w.]+)\"")
                .matcher(Files.readString(root.resolve(APPLICATION + "/src/main/resources/logback.xml")));
        while (log.find()) {
            named.add(log.group(1));
        }
        return named;
    }

    @Test
    void everyModuleMakesPublicOutsideInternalExactlyWhatOtherModulesUse() throws IOException {
        // A module's API: the types another module uses, and the types those hand out. "Used" is seen two ways: the main
        // classes of another module depend on the type (ArchUnit, which also sees a type reached through a chain of calls
        // without being named), or another module's source, main or test, names it (imported, fully qualified, or in a
        // test of the same package); the sources also see constants the compiler inlined, and the other modules' tests,
        // which the class path here does not hold.
        Map<String, Set<String>> users = new java.util.HashMap<>();
        for (JavaClass c : classes) {
            String from = ownerOf(c.getPackageName());
            for (com.tngtech.archunit.core.domain.Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = topLevel(d.getTargetClass());
                if (!ownerOf(target.getPackageName()).equals(from)) {
                    users.computeIfAbsent(target.getName(), k -> new TreeSet<>()).add(from);
                }
            }
        }
        Map<String, JavaClass> checked = new java.util.TreeMap<>();
        for (JavaClass c : classes) {
            if (c.isTopLevelClass() && MODULE_OWN_PACKAGES.containsKey(ownerOf(c.getPackageName()))) {
                checked.put(c.getName(), c);
            }
        }
        List<String> internalNamed = new ArrayList<>();
        Path root = org.phoneemu.core.testing.Vectors.root().getParent();
        Pattern qualified = Pattern.compile("\\borg\\.phoneemu(?:\\.[a-z]\\w*)+\\.[A-Z]\\w*");
        try (java.util.stream.Stream<Path> sources = Files.walk(root)) {
            for (Path file : sources.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/")
                    && !f.toString().contains("/target/")).toList()) {
                String module = root.relativize(file).getName(0).toString();
                String code = withoutComments(Files.readString(file));
                Matcher pkg = Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(code);
                String filePackage = pkg.find() ? pkg.group(1) : "";
                Matcher m = qualified.matcher(code);
                Set<String> named = new TreeSet<>();
                while (m.find()) {
                    named.add(m.group());
                }
                for (JavaClass c : checked.values()) {
                    String owner = ownerOf(c.getPackageName());
                    if (owner.equals(module)) {
                        continue;
                    }
                    boolean names = named.contains(c.getName())
                            || named.stream().anyMatch(n -> n.startsWith(c.getName() + "."))
                            || filePackage.equals(c.getPackageName()) && code.matches("(?s).*\\b" + c.getSimpleName() + "\\b.*");
                    if (names) {
                        users.computeIfAbsent(c.getName(), k -> new TreeSet<>()).add(module);
                        if ((c.getPackageName() + ".").contains(".internal.")) {
                            internalNamed.add(root.relativize(file) + " names " + c.getName() + " (" + owner + ")");
                        }
                    }
                }
            }
        }
        // What others use, closed over the signatures of what they use: a public or protected member of an API type
        // hands out only types the caller can name (javac's -Xlint:exports rule for a module's exported packages).
        Set<String> entryPoints = applicationEntryPoints(root);
        Set<String> api = new TreeSet<>(users.keySet());
        api.addAll(entryPoints);
        api.retainAll(checked.keySet());
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(api);
        while (!todo.isEmpty()) {
            String type = todo.pop();
            for (JavaClass c : classes) {
                if (!topLevel(c).getName().equals(type) || !visibleOutside(c)) {
                    continue;
                }
                for (JavaClass exposed : signatureTypes(c)) {
                    String name = topLevel(exposed).getName();
                    if (checked.containsKey(name) && api.add(name)) {
                        todo.push(name);
                    }
                }
            }
        }
        List<String> unused = new ArrayList<>();
        List<String> leaked = new ArrayList<>();
        for (JavaClass c : checked.values()) {
            boolean inInternal = (c.getPackageName() + ".").contains(".internal.");
            boolean isPublic = c.getModifiers().contains(JavaModifier.PUBLIC);
            boolean application = ownerOf(c.getPackageName()).equals(APPLICATION);
            if (isPublic && !inInternal && !api.contains(c.getName()) && !application) {
                unused.add(c.getName() + " (" + ownerOf(c.getPackageName()) + ")");
            }
            if (application && users.containsKey(c.getName()) || entryPoints.contains(c.getName()) && !isPublic) {
                leaked.add(c.getName() + " (" + APPLICATION + ", used by " + users.getOrDefault(c.getName(), Set.of()) + ")");
            }
            if (inInternal && api.contains(c.getName())) {
                leaked.add(c.getName() + " (" + ownerOf(c.getPackageName()) + ", used by " + users.getOrDefault(c.getName(), Set.of()) + ")");
            }
        }
        assertThat(entryPoints).as("the application's entry points").contains("org.phoneemu.cli.PhoneEmu", "org.phoneemu.cli.TerminalSafeMessage");
        assertThat(checked).as("the modules' types").containsKeys("org.phoneemu.tvs.client.TvsClient", "org.phoneemu.fleet.Fleet",
                "org.phoneemu.tvs.client.internal.SecdDescriptors", "org.phoneemu.capf.api.CapfRequest");
        assertThat(api).as("what the rule counts as API").contains("org.phoneemu.tvs.https.HttpsCertificateDecider", "org.phoneemu.fleet.FleetStatus",
                "org.phoneemu.core.trust.TrustEngine", "org.phoneemu.cucm.Cluster", "org.phoneemu.cli.PhoneEmu")
                .doesNotContain("org.phoneemu.tvs.client.internal.SecdDescriptors");
        assertThat(unused).as("public types outside internal packages that no other module uses and no API type hands out: make "
                + "them package-private, or move them into the module's internal package").isEmpty();
        assertThat(leaked).as("internal types another module uses or an API type hands out, application types another module "
                + "uses, entry points that are not public").isEmpty();
        assertThat(internalNamed).as("other modules' sources naming an internal type").isEmpty();
    }

    /** A class others can reach: public, and every class it is nested in public too. */
    private static boolean visibleOutside(JavaClass c) {
        for (JavaClass t = c; ; t = t.getEnclosingClass().get()) {
            if (!t.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
            if (t.getEnclosingClass().isEmpty()) {
                return true;
            }
        }
    }

    /** The types a class's supertypes and its public and protected members name (type arguments included). */
    private static Set<JavaClass> signatureTypes(JavaClass c) {
        Set<JavaClass> named = new java.util.HashSet<>();
        c.getSuperclass().ifPresent(t -> named.addAll(t.getAllInvolvedRawTypes()));
        c.getInterfaces().forEach(t -> named.addAll(t.getAllInvolvedRawTypes()));
        for (JavaMember m : c.getMembers()) {
            Set<JavaModifier> mods = m.getModifiers();
            if (!mods.contains(JavaModifier.PUBLIC)
                    && !mods.contains(JavaModifier.PROTECTED)) {
                continue;
            }
            if (m instanceof JavaField f) {
                named.addAll(f.getType().getAllInvolvedRawTypes());
            } else if (m instanceof JavaCodeUnit u) {
                named.addAll(u.getReturnType().getAllInvolvedRawTypes());
                u.getParameterTypes().forEach(t -> named.addAll(t.getAllInvolvedRawTypes()));
                u.getExceptionTypes().forEach(t -> named.addAll(t.getAllInvolvedRawTypes()));
            }
        }
        return named;
    }

    private static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }

    /** Java source without its comments and literals (a name in a Javadoc link or in a string is no use of the type). */
    private static String withoutComments(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            if (code.startsWith("//", i)) {
                i = code.indexOf('\n', i) < 0 ? code.length() : code.indexOf('\n', i);
            } else if (code.startsWith("/*", i)) {
                i = code.indexOf("*/", i + 2) < 0 ? code.length() : code.indexOf("*/", i + 2) + 2;
                out.append(' ');
            } else if (code.startsWith("\"\"\"", i)) {
                i = code.indexOf("\"\"\"", i + 3) < 0 ? code.length() : code.indexOf("\"\"\"", i + 3) + 3;
                out.append("\"\"");
            } else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
                char quote = code.charAt(i++);
                while (i < code.length() && code.charAt(i) != quote) {
                    i += code.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(quote).append(quote);
            } else {
                out.append(code.charAt(i++));
            }
        }
        return out.toString();
    }

    @Test
    void predictReadsThePhonesOutcomesNeverTheirConsoleLines() {
        // A change of a console line's wording must not change a predicted verdict: the verdicts and rules come from
        // the reports' values (BootReport, PressResult), and the console lines are only written by the phones.
        noClasses().that().resideInAPackage("org.phoneemu.tac.predict..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.phoneemu.core.console.ConsoleLine")
                .orShould().callMethod(org.phoneemu.core.console.ConsoleLog.class, "lines")
                .orShould().callMethod(org.phoneemu.core.console.ConsoleLog.class, "formatted")
                .orShould().callMethod(org.phoneemu.core.console.ConsoleLog.class, "contains", String.class)
                .check(classes);
    }

    @Test
    void anEmbeddedPhoneNeedsNoNettyType() {
        // Netty is the binding's (NettyPhoneNetwork, the clients, packet capture): the phone, its network interface, its
        // reports, and the types that interface carries name none, so another program can embed a phone with a network
        // of its own. CAPF's request, flash and outcome are phone-capf-api's, which needs neither Netty nor the CAPF client
        // (nor its codec): only the Netty binding reaches the client. The client's enrolment and options are Netty-free too.
        noClasses().that().resideInAPackage("org.phoneemu.phone").and(DescribedPredicate.not(nameStartsWith("org.phoneemu.phone.NettyPhoneNetwork")))
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.phoneemu.capf.client..", "org.phoneemu.capf.wire..")
                .check(classes);
        noClasses().that().resideInAPackage("org.phoneemu.capf.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.phoneemu.capf.client..", "org.phoneemu.capf.wire..",
                        "org.phoneemu.tls..", "org.phoneemu.net..")
                .check(classes);
        noClasses().that().resideInAPackage("org.phoneemu.capf.client")
                .and(DescribedPredicate.not(nameStartsWith("org.phoneemu.capf.client.CapfClient")))
                .and(DescribedPredicate.not(nameStartsWith("org.phoneemu.capf.client.CapfSession")))
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
                .check(classes);
        JavaClass network = classes.get("org.phoneemu.phone.PhoneNetwork");
        Set<JavaClass> carried = new TreeSet<>(java.util.Comparator.comparing(JavaClass::getName));
        network.getMethods().forEach(m -> {
            carried.add(m.getRawReturnType());
            carried.addAll(m.getRawParameterTypes());
        });
        List<String> netty = new ArrayList<>();
        for (JavaClass c : carried) {
            c.getDirectDependenciesFromSelf().stream().map(d -> d.getTargetClass())
                    .filter(t -> t.getPackageName().startsWith("io.netty")).forEach(t -> netty.add(c.getName() + " uses " + t.getName()));
            if (c.getPackageName().startsWith("io.netty")) {
                netty.add("PhoneNetwork names " + c.getName());
            }
        }
        assertThat(carried).extracting(JavaClass::getName).contains("org.phoneemu.capf.api.CapfRequest", "org.phoneemu.tftp.boot.BootSession");
        assertThat(netty).as("Netty types in what PhoneNetwork carries").isEmpty();
    }

    private static DescribedPredicate<JavaClass> nameStartsWith(String prefix) {
        return DescribedPredicate.describe("have a name starting with " + prefix, c -> c.getName().startsWith(prefix));
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
        // net-limits is shared by cucm-sim, phone-web and phone-fleet, so it may use no other package of the project.
        noClasses().that().resideInAPackage("org.phoneemu.net..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.phoneemu..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("org.phoneemu.net.."))))
                .check(classes);
    }
}
