package org.phoneemu.cli;

import java.util.Locale;
import java.util.stream.Collectors;
import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.device.ProvisioningPath;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Provisioning;
import picocli.CommandLine.Option;

/**
 * {@code --transport auto|http|tftp} and the HTTP ports (docs/PROTOCOLS.md §4), shared by {@code boot} and
 * {@code fleet}: {@code auto} takes the model's own path, {@code http} HTTP 6970 (and HTTPS 6971 for the config
 * when the ITL is version 1.1) before TFTP for any model, {@code tftp} TFTP only.
 */
final class TransportOptions {
    @Option(names = "--transport", paramLabel = "auto|http|tftp", defaultValue = "auto",
            description = "how files are downloaded: auto (by model: 78xx/88xx over HTTP 6970 and HTTPS 6971, others TFTP), "
                    + "http (HTTPS 6971 / HTTP 6970 first, TFTP when they fail) or tftp (default: ${DEFAULT-VALUE})")
    String transport = "auto";

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "6970",
            description = "the TFTP server's HTTP provisioning port (default: ${DEFAULT-VALUE})")
    int httpPort = 6970;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "6971",
            description = "the TFTP server's HTTPS provisioning port (default: ${DEFAULT-VALUE})")
    int httpsPort = 6971;

    /** As {@link #provisioning(PhoneModel)} for a model name as a devices file gives it (an unknown one is TFTP only). */
    Provisioning provisioning(String model) {
        return PhoneModel.parse(model).map(this::provisioning).orElseGet(() -> provisioning(new PhoneModel("7970")));
    }

    /** The phones' provisioning for {@code model}; a bad value is the user's error (exit 2). */
    Provisioning provisioning(PhoneModel model) {
        for (int[] p : new int[][] {{httpPort, 0}, {httpsPort, 1}}) {
            if (p[0] < 1 || p[0] > 65535) {
                throw new UserError(PhoneEmu.BAD_INPUT, (p[1] == 0 ? "--http-port" : "--https-port") + " must be 1-65535, not " + p[0]);
            }
        }
        Provisioning byModel = Provisioning.byModel(model.name()).withPorts(httpPort, httpsPort);
        return switch (transport.toLowerCase(Locale.ROOT)) {
            case "auto" -> byModel;
            case "http" -> byModel.withPath(ProvisioningPath.HTTPS);
            case "tftp" -> byModel.withPath(ProvisioningPath.TFTP_ONLY);
            default -> throw new UserError(PhoneEmu.BAD_INPUT, "--transport takes auto, http or tftp, not '" + transport + "'");
        };
    }

    /** {@code ITLSEP….tlv over HTTP, SEP….cnf.xml.sgn over HTTPS}: what each received file came over. */
    static String files(BootReport r) {
        return r.files().stream().map(f -> f.name() + " over " + f.transport()).collect(Collectors.joining(", "));
    }
}
