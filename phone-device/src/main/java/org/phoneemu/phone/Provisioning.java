package org.phoneemu.phone;

import org.phoneemu.core.device.PhoneModel;
import org.phoneemu.core.device.ProvisioningPath;
import org.phoneemu.tftp.boot.ProvisioningSession;

/**
 * How a phone downloads its files (docs/PROTOCOLS.md §4): the path (by model, or chosen by the user) and the HTTP
 * and HTTPS ports of the provisioning server (6970, 6971; a test's server may listen elsewhere).
 */
public record Provisioning(ProvisioningPath path, int httpPort, int httpsPort) {
    public static final Provisioning TFTP_ONLY = new Provisioning(ProvisioningPath.TFTP_ONLY,
            ProvisioningSession.HTTP_PORT, ProvisioningSession.HTTPS_PORT);

    public Provisioning {
        java.util.Objects.requireNonNull(path, "path");
        if (httpPort < 1 || httpPort > 65535 || httpsPort < 1 || httpsPort > 65535) {
            throw new IllegalArgumentException("ports must be 1-65535");
        }
    }

    /** The model's own path (its row in {@link PhoneModel#provisioning()}) on the standard ports; TFTP for an unknown model. */
    public static Provisioning byModel(String model) {
        return new Provisioning(PhoneModel.parse(model).map(PhoneModel::provisioning).orElse(ProvisioningPath.TFTP_ONLY),
                ProvisioningSession.HTTP_PORT, ProvisioningSession.HTTPS_PORT);
    }

    public Provisioning withPath(ProvisioningPath p) {
        return new Provisioning(p, httpPort, httpsPort);
    }

    public Provisioning withPorts(int http, int https) {
        return new Provisioning(path, http, https);
    }
}
