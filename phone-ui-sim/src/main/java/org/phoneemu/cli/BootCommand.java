package org.phoneemu.cli;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.config.PhoneConfig;
import java.time.ZoneId;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Button;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PressResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boot one phone against any cluster, real or simulated: trust lists, then the config.",
                "Prints the console log, the trust state and the applied config.",
                "When the config has a CAPF certificate operation pending, runs it (see the capf command), then fetches the config again.",
                "Exit 0 trusted with a verified config, 1 locked or config refused, 2 errors (unreachable server, bad arguments)."})
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

    @Option(names = "--auth-string", paramLabel = "DIGITS",
            description = "the CAPF authentication string, typed on the phone, for a pending certificate operation")
    String authString;

    @Option(names = "--press", paramLabel = "BUTTON", description = "after booting, press directories or services (HTTPS check)")
    String press;

    @Override
    public Integer call() throws Exception {
        Mac device = Mac.parse(mac).orElseThrow(
                () -> new UserError(PhoneEmu.BAD_INPUT, "--mac must be 12 hex digits, not '" + mac + "'"));
        Button button = null;
        if (press != null) {
            try {
                button = Button.valueOf(press.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--press takes directories or services, not '" + press + "'");
            }
        }
        PhoneModel phoneModel = PhoneModel.parse(model).orElseThrow(() -> new UserError(PhoneEmu.BAD_INPUT,
                "--model must be a phone model such as 7970, 8845 or 7965G, not '" + model + "'"));
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String s : tftp) {
            servers.add(address("--tftp", s, 69));
        }
        KeyMaterial lscKey = lsc == null ? null : Inputs.pem(lsc, true);
        Path flash = Folders.writable(state != null ? state : Path.of(".phone-emu", "phones", device.deviceName()), "--state");
        PrintWriter out = spec.commandLine().getOut();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            var builder = Phone.builder().mac(mac).model(phoneModel.name()).flash(flash).clock(Clock.systemDefaultZone()).network(network);
            servers.forEach(builder::tftpServer);
            if (lscKey != null) {
                builder.lsc(lscKey);
            }
            Phone phone = builder.build();
            if (authString != null) {
                try {
                    phone.enterCapfAuthString(authString);
                } catch (IllegalArgumentException e) {
                    throw new UserError(PhoneEmu.BAD_INPUT, "--auth-string: " + e.getMessage());
                }
            }
            phone.consoleLog().subscribe(l -> {
                out.println(l.format(java.time.ZoneId.systemDefault()));
                out.flush();
            });
            BootReport r = phone.boot().get(5, TimeUnit.MINUTES);
            out.println();
            out.println("Trust state: " + r.trustState().description());
            r.itlMd5().ifPresent(m -> out.println("ITL: MD5 " + m + ", signed by " + r.itlSigner().orElse("?")));
            r.ctlMd5().ifPresent(m -> out.println("CTL: MD5 " + m));
            out.println("Config: " + r.configSource().orElse("none applied"));
            phone.config().ifPresent(c -> describe(out, c));
            out.println("Status messages:");
            phone.statusMessages().all().forEach(m -> out.println("  " + m.display(ZoneId.systemDefault())));
            int code = r.error().isPresent() ? PhoneEmu.BAD_INPUT : r.trusted() ? 0 : PhoneEmu.REFUSED;
            if (button != null) {
                PressResult p = phone.press(button).get(2, TimeUnit.MINUTES);
                out.println("Press " + press + ": " + (p instanceof PressResult.Shown s ? "shown (HTTP " + s.status() + ")"
                        : p instanceof PressResult.HostNotFound ? "Host Not Found" : "failed: " + ((PressResult.Failed) p).reason()));
                if (!(p instanceof PressResult.Shown) && code == 0) {
                    code = PhoneEmu.REFUSED;
                }
            }
            out.println("Result: " + r.verdict() + r.error().map(e -> " (" + e + ")").orElse(""));
            out.flush();
            if (r.error().isPresent()) {
                spec.commandLine().getErr().println("phone-emu: " + r.error().get());
            }
            return code;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static void describe(PrintWriter out, PhoneConfig c) {
        c.tvsServers().forEach(t -> out.println("  TVS server " + t.priority() + ": " + t.address() + ":" + t.port()));
        c.urls().forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println("  settings access: " + (c.vendorConfig().settingsAccessAllowed() ? "allowed" : "disabled")
                + ", web page: " + (c.vendorConfig().webPageEnabled() ? "on" : "off"));
    }

    static InetSocketAddress address(String option, String hostPort, int defaultPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + " needs a host name or address, not an empty value");
        }
        String host = hostPort;
        int port = defaultPort;
        int colon = hostPort.lastIndexOf(':');
        if (colon == 0) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + " needs a host before the port, not '" + hostPort + "'");
        }
        if (colon > 0 && hostPort.indexOf(':') == colon) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, option + ": bad port in '" + hostPort + "'");
            }
        }
        if (port < 1 || port > 65535) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + ": port out of range (1-65535) in '" + hostPort + "'");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new UserError(PhoneEmu.BAD_INPUT, option + ": cannot resolve the host '" + host + "'");
        }
        return a;
    }
}
