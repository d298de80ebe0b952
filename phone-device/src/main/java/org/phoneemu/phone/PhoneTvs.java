package org.phoneemu.phone;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trust.TvsServerAuthentication;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.tvs.TvsAnswer;
import org.phoneemu.core.tvs.TvsReply;
import org.phoneemu.tvs.client.TvsClient;
import org.phoneemu.tvs.client.TvsOutcome;
import org.phoneemu.tvs.client.TvsServer;

/**
 * A phone's TVS question through a {@link TvsClient}, over the network or in process: the config's servers in
 * priority order, each judged by the phone's lists (a TVS record of {@code trustedLists}), the outcome as values.
 */
public final class PhoneTvs {
    private PhoneTvs() {
    }

    public static CompletableFuture<TvsReply> verify(TvsClient client, List<TvsServerEntry> servers, X509Certificate certificate,
                                                     String deviceName, InstalledTrust trustedLists,
                                                     Optional<KeyMaterial> clientCertificate, ConsoleLog log) {
        return client.verify(TvsServer.fromConfig(servers), certificate, deviceName,
                        cert -> TvsServerAuthentication.isTrustedTvs(trustedLists, cert), clientCertificate, log)
                .handle((o, err) -> err != null ? TvsReply.unasked(new TvsAnswer.Unreachable(String.valueOf(err.getMessage())))
                        : o.toReply());
    }
}
