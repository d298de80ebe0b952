package org.phoneemu.phone;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.phoneemu.core.config.TvsServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.trust.InstalledTrust;
import org.phoneemu.core.tvs.TvsAnswer;

/**
 * The phone's three network verbs. The Netty implementation ({@link NettyPhoneNetwork}) drives the TFTP, TVS and
 * HTTPS clients; the phone's decisions stay in phone-core.
 */
public interface PhoneNetwork {
    /** A phone's TFTP downloads from its servers (tried in order), logged into its console log. */
    TftpSession tftpSession(String mac, List<InetSocketAddress> servers, ConsoleLog log);

    /** One phone's TFTP side: the boot sequence of FORMATS.md §6 and single downloads. */
    interface TftpSession {
        /** {@code CTLSEP<MAC>.tlv} (else {@code CTLFile.tlv}), then {@code ITLSEP<MAC>.tlv} (else {@code ITLFile.tlv}). */
        CompletableFuture<TrustListDownloads> trustLists();

        /** One file (a config), with a size limit. */
        CompletableFuture<Download> fetch(String fileName, long maxSize);
    }

    /** The CTL and ITL downloads of a boot; {@code name} is the name each was found under. */
    record TrustListDownloads(String ctlName, Download ctl, String itlName, Download itl) {
    }

    /**
     * Asks the TVS servers in priority order; a server is used only if its certificate is a TVS record of
     * {@code trustedLists}, an immutable snapshot of the phone's lists (the check runs on a network thread).
     */
    CompletableFuture<TvsAnswer> tvsVerify(List<TvsServerEntry> servers, X509Certificate certificate, String deviceName,
                                           InstalledTrust trustedLists, Optional<KeyMaterial> clientCertificate,
                                           ConsoleLog log);

    /** HTTPS GET; {@code decider} sees the server certificate before any request byte is sent. */
    CompletableFuture<HttpsOutcome> httpsGet(URI url, Function<X509Certificate, CompletableFuture<Boolean>> decider, ConsoleLog log);

    /** The result of a TFTP read. */
    sealed interface Download {
        record Received(byte[] data) implements Download {
        }

        record NotFound() implements Download {
        }

        /** Timeout, access violation, too large, protocol error: {@code reason} says which. */
        record Failed(String reason, boolean timedOut) implements Download {
        }
    }

    /** The result of an HTTPS GET. */
    sealed interface HttpsOutcome {
        record Ok(int status, byte[] body) implements HttpsOutcome {
        }

        /** The certificate was refused: nothing was sent; the UI shows "Host Not Found". */
        record Refused() implements HttpsOutcome {
        }

        record Failed(String reason) implements HttpsOutcome {
        }
    }
}
