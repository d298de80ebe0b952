package org.phoneemu.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.tvs.client.TvsOutcome;
import org.phoneemu.tvs.client.TvsVerifyException;
import org.phoneemu.tvs.client.TvsVerifyRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tvs-verify", mixinStandardHelpOptions = true,
        description = {"Ask a TVS server (TLS, port 2445 by default) whether it vouches for a certificate, as a phone does.",
                "The TVS server's own certificate must be a TVS record of --trust, or equal --tvs-cert.",
                "Prints Status, Roles and TTL. Exit 0 valid, 1 invalid, 2 error."})
final class TvsVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tvs", required = true, paramLabel = "HOST[:PORT]", description = "the TVS server")
    String tvs;

    @ArgGroup(exclusive = true, multiplicity = "1")
    TrustSource trust;

    static final class TrustSource {
        @Option(names = "--trust", paramLabel = "ITLFile.tlv", description = "trust the TVS server through this ITL/CTL's TVS records")
        Path trustList;

        @Option(names = "--tvs-cert", paramLabel = "PEM", description = "pin the TVS server's certificate instead")
        Path pinned;
    }

    @Option(names = "--device", paramLabel = "NAME", defaultValue = TvsVerifyRequest.DEFAULT_DEVICE_NAME,
            description = "device name sent to TVS (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--client-cert", paramLabel = "PEM", description = "key + certificate presented as the phone's LSC/MIC")
    Path clientCert;

    @Option(names = "--log", description = "print the phone console lines of the exchange")
    boolean showLog;

    @Parameters(paramLabel = "CERT.pem", description = "the certificate to verify")
    Path certificate;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!PhoneModel.isTvsDeviceName(device)) {
            // A TVS server knows phones by this name; anything else would only be closed on without a reason.
            throw new UserError(PhoneEmu.BAD_INPUT, "--device must be a phone's device name CP-<model>-SEP<MAC> "
                    + "(e.g. " + TvsVerifyRequest.DEFAULT_DEVICE_NAME + "), not '" + device + "'");
        }
        ConsoleLog log = new ConsoleLog("tvs-verify", Clock.systemDefaultZone());
        TvsOutcome outcome;
        try {
            TvsVerifyRequest.Builder b = TvsVerifyRequest.builder().server(tvs).deviceName(device).certificate(certificate);
            if (trust.trustList != null) {
                b.trustList(trust.trustList);
            } else {
                b.pinnedTvsCertificate(trust.pinned);
            }
            if (clientCert != null) {
                b.clientCertificate(clientCert);
            }
            outcome = b.build().execute(log);
        } catch (TvsVerifyException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        } finally {
            if (showLog) {
                log.formatted().forEach(out::println);
            }
        }
        TvsVerifyRequest.describe(outcome).forEach(out::println);
        out.flush();
        if (outcome instanceof TvsOutcome.Verdict v) {
            return v.valid() ? 0 : PhoneEmu.REFUSED;
        }
        // No verdict (unreachable, untrusted server, a failed handshake): exit 2 with the reason as its one stderr line.
        throw new UserError(PhoneEmu.BAD_INPUT, TvsVerifyRequest.describe(outcome).stream().filter(l -> !l.isBlank())
                .reduce((a, b) -> b).orElse("no answer from the TVS server " + tvs));
    }
}
