package org.phoneemu.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.phoneemu.capf.client.CapfClient;
import org.phoneemu.capf.client.CapfClientOptions;
import org.phoneemu.capf.client.CapfEnrollment;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.api.CapfRequest;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.phone.PhoneBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "capf", mixinStandardHelpOptions = true,
        description = {"Run the certificate operation CAPF has pending for the phone (TLS, port 3804 by default):",
                "install/upgrade writes a new LSC and its key to the flash; delete removes the LSC; troubleshoot sends it.",
                "The CAPF server's certificate must equal --capf-cert, or (without it) be a CAPF record of the flash's CTL/ITL;",
                "otherwise the phone hangs up before sending anything.",
                "Exit 0 done, 1 refused (by the server or the phone's checks), 2 unreachable or bad input."})
final class CapfCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    Captures pcap = new Captures();

    @Spec
    CommandSpec spec;

    @Option(names = "--capf", required = true, paramLabel = "HOST[:PORT]", description = "the CAPF server (port 3804 by default)")
    String capf;

    @Option(names = "--capf-cert", paramLabel = "PEM",
            description = "the CAPF server's certificate (CUCM: OS Administration > Certificate Management, CAPF.pem); "
                    + "without it the flash's CTL/ITL must hold a CAPF record for it")
    Path capfCert;

    @Option(names = "--mac", required = true, description = "the phone's MAC, 12 hex digits")
    String mac;

    @Option(names = "--model", defaultValue = "7970", description = "phone model, for a MIC made on first use (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--auth-string", paramLabel = "DIGITS", description = "the CAPF authentication string (By Authentication String)")
    String authString;

    @Option(names = "--existing-cert", description = "authenticate with the phone's LSC, else its MIC (By Existing Certificate)")
    boolean existingCertificate;

    @Option(names = "--state", paramLabel = "DIR", description = "the phone's flash (default: .phone-emu/phones/SEP<MAC>)")
    Path state;

    @Option(names = "--tries", defaultValue = "3", description = "tries on a communication failure (default: ${DEFAULT-VALUE}, as phones do)")
    int tries;

    @Option(names = "--retry-delay", defaultValue = "30", paramLabel = "SECONDS",
            description = "seconds between tries (default: ${DEFAULT-VALUE}, as phones do)")
    int retryDelay;

    @Override
    public Integer call() throws Exception {
        Mac device = Mac.parse(mac).orElseThrow(
                () -> new UserError(PhoneEmu.BAD_INPUT, "--mac must be 12 hex digits, not '" + mac + "'"));
        checkOptions();
        InetSocketAddress server = BootCommand.address("--capf", capf, CapfRequest.DEFAULT_PORT);
        Path flash = state != null ? state : Path.of(".phone-emu", "phones", device.deviceName());
        Files.createDirectories(flash);
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemDefaultZone();
        ConsoleLog log = new ConsoleLog(device.deviceName(), clock);
        log.subscribe(l -> {
            out.println(l.format(java.time.ZoneId.systemDefault()));
            out.flush();
        });
        StatusMessages status = new StatusMessages(clock);
        TrustStore store = TrustStore.open(flash, FileOps.system(), clock, log, status);
        if (store.identity().isEmpty()) {
            store.saveIdentity(new org.phoneemu.core.pki.PhoneIdentity(
                    PhoneBuilder.manufacturerCertificate(device.tvsDeviceName(model), 2048, clock), Optional.empty()));
        }
        Predicate<X509Certificate> trusted = trustCheck(store);
        CapfOutcome outcome = enroll(store, status, log, clock, server, device.hex(), trusted);
        out.println();
        out.println(CapfEnrollment.describe(outcome));
        out.println("Status message: " + CapfEnrollment.statusMessage(outcome));
        out.flush();
        if (outcome instanceof CapfOutcome.Unreachable u) {
            // Like boot's unreachable TFTP server: one line on stderr says why the exit code is 2.
            spec.commandLine().getErr().println("phone-emu: CAPF server " + Addresses.show(server) + " unreachable after "
                    + u.failures().size() + " tries");
        }
        return outcome.exitCode();
    }

    private void checkOptions() {
        if (authString != null) {
            CapfAuthMode.authStringProblem(authString).ifPresent(p -> {
                throw new UserError(PhoneEmu.BAD_INPUT, "--auth-string: " + p);
            });
            if (existingCertificate) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--auth-string and --existing-cert exclude each other");
            }
        }
        if (tries < 1 || tries > 10 || retryDelay < 0 || retryDelay > 600) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--tries takes 1 to 10 and --retry-delay 0 to 600 seconds");
        }
    }

    /** One CAPF session with its own event loop and worker, both stopped (and the capture closed) when it ends. */
    private CapfOutcome enroll(TrustStore store, StatusMessages status, ConsoleLog log, Clock clock, InetSocketAddress server,
                               String upper, Predicate<X509Certificate> trusted) throws Exception {
        CapfAuthMode mode = CapfRequest.modeFor(Optional.ofNullable(authString), existingCertificate);
        CapfClientOptions options = CapfClientOptions.DEFAULTS.withRetries(tries, Duration.ofSeconds(retryDelay));
        org.phoneemu.phone.capture.PacketCapture capture = pcap.open();
        io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        // Key generation and flash writes of the session run here, never on the event loop.
        java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            CapfClient client = new CapfClient(group, worker, options, clock, new java.security.SecureRandom(),
                    capture == null ? ch -> { } : capture::tap);
            return CapfEnrollment.run(client, store, status, log, server, upper, mode, Optional.ofNullable(authString), trusted);
        } finally {
            worker.shutdown();
            io.netty.util.concurrent.Future<?> stopped = group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            if (capture != null) {
                Captures.close(capture, stopped, spec.commandLine().getErr());
            }
        }
    }

    private Predicate<X509Certificate> trustCheck(TrustStore store) {
        if (capfCert != null) {
            X509Certificate pinned;
            try {
                pinned = PemFile.read(capfCert).certificate();
            } catch (PemFiles.PemException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--capf-cert: " + e.getMessage());
            }
            return cert -> {
                try {
                    return Arrays.equals(cert.getEncoded(), pinned.getEncoded());
                } catch (java.security.cert.CertificateEncodingException e) {
                    return false;
                }
            };
        }
        if (store.trust().ctl().isEmpty() && store.trust().itl().isEmpty()) {
            throw new UserError(PhoneEmu.BAD_INPUT, "no way to trust the CAPF server: give --capf-cert, or boot the phone first "
                    + "so its flash holds the cluster's CTL/ITL");
        }
        return CapfEnrollment.trustListCheck(store);
    }
}
