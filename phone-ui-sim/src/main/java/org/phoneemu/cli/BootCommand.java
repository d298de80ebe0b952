package org.phoneemu.cli;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.phoneemu.core.config.PhoneConfig;
import java.time.ZoneId;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Button;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.capture.PacketCapture;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PressResult;
import org.phoneemu.web.BootStats;
import org.phoneemu.web.FleetView;
import org.phoneemu.web.WebConfigException;
import org.phoneemu.web.WebOptions;
import org.phoneemu.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boot one phone against any cluster, real or simulated: trust lists, then the config.",
                "Prints the console log, the trust state and the applied config.",
                "When the config has a CAPF certificate operation pending, runs it (see the capf command), then fetches the config again.",
                "Then registers to CallManager over SIP (TLS or TCP, as the config and trust lists decide) unless --no-register.",
                "Exit 0 trusted with a verified config (registered, or no CallManager answered), 1 locked, config refused or",
                "registration refused, 2 errors (unreachable TFTP server, bad arguments)."})
final class BootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tftp", required = true, paramLabel = "HOST[:PORT]",
            description = "TFTP server (repeatable, tried in order like DHCP option 150; port 69 by default)")
    List<String> tftp = new ArrayList<>();

    @Option(names = "--mac", required = true, description = "the phone's MAC, 12 hex digits")
    String mac;

    @Option(names = "--model", defaultValue = "7970", description = "phone model, e.g. 7970, 8865 (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--lsc", paramLabel = "PEM",
            description = "install this LSC (key + certificate) on the phone's flash; it stays there for later boots")
    Path lsc;

    @Option(names = "--state", paramLabel = "DIR", description = "the phone's flash (default: .phone-emu/phones/SEP<MAC>); kept between runs")
    Path state;

    @picocli.CommandLine.Mixin
    Captures pcap = new Captures();

    @picocli.CommandLine.Mixin
    TransportOptions transport = new TransportOptions();

    @Option(names = "--tftp-deadline", paramLabel = "SECONDS", defaultValue = "30",
            description = "the longest one file may take to download; a slower server is an error (default: ${DEFAULT-VALUE})")
    int tftpDeadline;

    @Option(names = "--auth-string", paramLabel = "DIGITS",
            description = "the CAPF authentication string, typed on the phone, for a pending certificate operation")
    String authString;

    @Option(names = "--press", paramLabel = "BUTTON", description = "after booting, press directories or services (HTTPS check)")
    String press;

    @Mixin
    WebMixin web;

    @Option(names = "--no-register", description = "stop after the config: do not register to CallManager")
    boolean noRegister;

    @Option(names = "--keep-registered", description = {"after registering, stay registered until SIGINT/SIGTERM: renew on the",
            "real clock (CUCM grants 120 s: every 115 s) on the connection kept open, the group's next CallManager kept warm"})
    boolean keepRegistered;

    @Option(names = "--resolve", paramLabel = "NAME=ADDRESS",
            description = "a CallManager name of the config and its IPv4 address, for labs without DNS for it (repeatable)")
    List<String> resolve = new ArrayList<>();

    private Button button() {
        if (press == null) {
            return null;
        }
        try {
            return Button.valueOf(press.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--press takes directories or services, not '" + press + "'");
        }
    }

    /** The options read and checked, in the order a user meets their errors. */
    private record BootInput(Mac device, Button button, Optional<WebOptions> web, PhoneModel model,
                             org.phoneemu.phone.Provisioning provisioning, List<InetSocketAddress> servers, Optional<KeyMaterial> lsc,
                             Path flash, java.util.Map<String, java.net.Inet4Address> callManagerNames) {
    }

    private BootInput input() {
        Mac device = UserInput.mac("--mac", mac);
        Button button = button();
        Optional<WebOptions> webOptions = web.options(false);
        PhoneModel phoneModel = UserInput.model("--model", model);
        org.phoneemu.phone.Provisioning provisioning = transport.provisioning(phoneModel);
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String s : tftp) {
            servers.add(address("--tftp", s, 69));
        }
        Optional<KeyMaterial> lscKey = lsc == null ? Optional.empty() : Optional.of(Inputs.pem(lsc, true));
        Path flash = Folders.writable(state != null ? state : Path.of(".phone-emu", "phones", device.deviceName()), "--state");
        if (tftpDeadline < 1 || tftpDeadline > 3600) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--tftp-deadline must be 1-3600 seconds, not " + tftpDeadline);
        }
        return new BootInput(device, button, webOptions, phoneModel, provisioning, servers, lscKey, flash,
                CallManagerNames.parse("--resolve", resolve));
    }

    private Phone phone(NettyPhoneNetwork network, BootInput in) throws java.io.IOException {
        var builder = Phone.builder().mac(in.device().hex()).model(in.model().name()).flash(in.flash()).clock(Clock.systemDefaultZone())
                .network(network).registers(!noRegister);
        if (keepRegistered && noRegister) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--keep-registered needs the registration that --no-register turns off");
        }
        in.servers().forEach(builder::tftpServer);
        builder.provisioning(in.provisioning());
        in.lsc().ifPresent(builder::lsc);
        Phone phone = builder.build().keepsSipConnections(keepRegistered);
        if (authString != null) {
            try {
                phone.enterCapfAuthString(authString);
            } catch (IllegalArgumentException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--auth-string: " + e.getMessage());
            }
        }
        return phone;
    }

    private static WebServer webPage(WebOptions options, MultiThreadIoEventLoopGroup group, Phone phone, BootStats stats, PrintWriter out)
            throws Exception {
        WebServer server;
        try {
            server = WebServer.builder().options(options).dashboard(false).group(group)
                    .fleet(FleetView.of(phone.name(), () -> List.of(phone), java.util.Optional::empty, stats)).start();
        } catch (WebConfigException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        out.println(WebMixin.announce("Phone's web page", server.url() + "phones/" + phone.name() + "/", options));
        out.flush();
        return server;
    }

    private static void printBoot(PrintWriter out, Phone phone, BootReport r) {
        out.println();
        out.println("Trust state: " + r.trustState().description());
        r.itlMd5().ifPresent(m -> out.println("ITL: MD5 " + m + ", signed by " + r.itlSigner().orElse("?")));
        r.ctlMd5().ifPresent(m -> out.println("CTL: MD5 " + m));
        out.println("Config: " + r.configSource().orElse("none applied"));
        if (!r.files().isEmpty()) {
            out.println("Files: " + TransportOptions.files(r));
        }
        phone.config().ifPresent(c -> describe(out, c));
        out.println("Status messages:");
        phone.statusMessages().all().forEach(m -> out.println("  " + m.display(ZoneId.systemDefault())));
    }

    /** Presses the button and prints what the phone shows; a page not shown turns a success into a refusal. */
    private int press(PrintWriter out, Phone phone, Button button, int code) throws Exception {
        PressResult p = phone.press(button).get(2, TimeUnit.MINUTES);
        out.println("Press " + press + ": " + (p instanceof PressResult.Shown s ? "shown (HTTP " + s.status() + ")"
                : p instanceof PressResult.HostNotFound ? "Host Not Found" : "failed: " + ((PressResult.Failed) p).reason()));
        return !(p instanceof PressResult.Shown) && code == 0 ? PhoneEmu.REFUSED : code;
    }

    @Override
    public Integer call() throws Exception {
        BootInput in = input();
        PrintWriter out = spec.commandLine().getOut();
        PacketCapture capture = pcap.open();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        WebServer server = null;
        try (NettyPhoneNetwork network = network(group, capture, in)) {
            Phone phone = phone(network, in);
            phone.consoleLog().subscribe(l -> {
                out.println(l.format(java.time.ZoneId.systemDefault()));
                out.flush();
            });
            BootStats stats = new BootStats();
            if (in.web().isPresent()) {
                server = webPage(in.web().get(), group, phone, stats, out);
            }
            BootReport r = boot(out, phone, stats);
            printBoot(out, phone, r);
            printRegistration(out, r);
            int code = registrationCode(r, bootCode(r));
            if (in.button() != null) {
                code = press(out, phone, in.button(), code);
            }
            printResult(out, r);
            if (keepRegistered) {
                return keepRegistered(out, phone, r, code);
            }
            if (server != null) {
                out.println("Serving the phone's web page until Ctrl-C.");
                out.flush();
                new java.util.concurrent.CountDownLatch(1).await();
            }
            return code;
        } finally {
            if (server != null) {
                server.close();
            }
            Captures.close(capture, group.shutdownGracefully(0, 1, TimeUnit.SECONDS), spec.commandLine().getErr());
        }
    }

    /**
     * {@code --keep-registered}: renews the registration on the real clock until SIGINT or SIGTERM (the console lines of
     * each renewal are printed as they come), then says so in one line; the exit code stays the boot's. A phone the boot
     * did not register has nothing to keep: said, and the boot's code returned.
     */
    private int keepRegistered(PrintWriter out, Phone phone, BootReport r, int code) throws InterruptedException {
        if (!r.registered()) {
            out.println("Not registered: nothing to keep registered.");
            out.flush();
            return code;
        }
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(t -> {
            Thread th = new Thread(t, "keep-registered");
            th.setDaemon(true);
            return th;
        });
        java.util.concurrent.CompletableFuture<String> stop = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger renewals = new java.util.concurrent.atomic.AtomicInteger();
        out.println("Keeping " + phone.name() + " registered (renewals on the real clock) until SIGINT or SIGTERM.");
        out.flush();
        try (StopSignals signals = StopSignals.install(stop::complete);
             org.phoneemu.phone.RegistrationKeeper keeper = org.phoneemu.phone.RegistrationKeeper.start(phone, Clock.systemDefaultZone(),
                     org.phoneemu.phone.PhoneTimer.real(timer), step -> renewals.incrementAndGet())) {
            String signal;
            try {
                signal = stop.get();
            } catch (java.util.concurrent.ExecutionException e) {
                signal = "stopped";
            }
            out.println("Stopped (" + signal + ") after " + renewals.get() + " renewal(s); last registration: "
                    + phone.registration().map(org.phoneemu.phone.RegistrationStep::text).orElse("none"));
            out.flush();
        } finally {
            timer.shutdownNow();
        }
        return code;
    }

    private NettyPhoneNetwork network(MultiThreadIoEventLoopGroup group, PacketCapture capture, BootInput in) {
        NettyPhoneNetwork network = new NettyPhoneNetwork(group,
                NettyPhoneNetwork.PHONE_TFTP.withDeadline(java.time.Duration.ofSeconds(tftpDeadline)),
                org.phoneemu.tvs.client.TvsClientOptions.DEFAULTS, org.phoneemu.tvs.https.HttpsOptions.DEFAULTS,
                java.util.Optional.ofNullable(capture));
        network.callManagerNames(CallManagerNames.lookup(in.callManagerNames()));
        return network;
    }

    /** The boot's report; a boot that never ends (each file has its own deadline, so this bound is only a safety net) is an error. */
    private static BootReport boot(PrintWriter out, Phone phone, BootStats stats) throws Exception {
        try {
            return stats.time(phone.mac(), phone::boot).get(5, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            out.flush();
            throw new UserError(PhoneEmu.BAD_INPUT, "the boot did not finish within 5 minutes; flash kept as it was");
        }
    }

    /** The exit code the boot alone gives: 2 for an error (e.g. no TFTP server answered), 0 trusted, 1 otherwise. */
    private static int bootCode(BootReport r) {
        return r.error().isPresent() ? PhoneEmu.BAD_INPUT : r.trusted() ? 0 : PhoneEmu.REFUSED;
    }

    /** The result line, and the boot's error once more on stderr, where a script looks for it. */
    private void printResult(PrintWriter out, BootReport r) {
        out.println("Result: " + r.verdict() + (r.registered() ? ", registered"
                : r.registration().flatMap(org.phoneemu.phone.RegistrationStep::attempted).isPresent() ? ", not registered" : "")
                + r.error().map(e -> " (" + e + ")").orElse(""));
        out.flush();
        if (r.error().isPresent()) {
            spec.commandLine().getErr().println("phone-emu: " + r.error().get());
        }
    }

    private void printRegistration(PrintWriter out, BootReport r) {
        if (r.registration().isEmpty()) {
            out.println("Registration: " + (noRegister ? "not attempted (--no-register)" : "not attempted"));
            return;
        }
        org.phoneemu.phone.RegistrationStep step = r.registration().get();
        if (step instanceof org.phoneemu.phone.RegistrationStep.Attempted a) {
            out.println("SIP transport: " + a.transport().describe());
        }
        out.println("Registration: " + step.text());
    }

    /**
     * The registration folded into the boot's exit code: refused by CallManager, or every CallManager's certificate
     * refused by the phone, is 1. No CallManager answering leaves the code as the boot made it (a TFTP server without
     * CUCM behind it, e.g. tftpd-hpa serving exported files, is still a good boot).
     */
    private static int registrationCode(BootReport r, int code) {
        if (r.registration().isEmpty() || code != 0 || r.registration().get().registered()) {
            return code;
        }
        Optional<org.phoneemu.core.sip.RegistrationOutcome> outcome = r.registration().get().attempted();
        if (outcome.isPresent() && outcome.get() instanceof org.phoneemu.core.sip.RegistrationOutcome.Unreachable u && !u.anyUntrusted()) {
            return code;
        }
        return outcome.isPresent() ? PhoneEmu.REFUSED : code;
    }

    private static void describe(PrintWriter out, PhoneConfig c) {
        c.tvsServers().forEach(t -> out.println("  TVS server " + t.priority() + ": " + t.address() + ":" + t.port()));
        c.urls().forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println("  settings access: " + (c.vendorConfig().settingsAccessAllowed() ? "allowed" : "disabled")
                + ", web page: " + (c.vendorConfig().webPageEnabled() ? "on" : "off"));
    }

    static InetSocketAddress address(String option, String hostPort, int defaultPort) {
        return UserInput.address(option, hostPort, defaultPort);
    }
}
