package org.phoneemu.phone;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.tftp.boot.HttpProvisioningClient;
import org.phoneemu.tftp.boot.HttpRead;
import org.phoneemu.tftp.boot.HttpReads;
import org.phoneemu.tftp.client.TftpResult;
import org.phoneemu.tvs.https.HttpsResult;
import org.phoneemu.tvs.https.PhoneHttpsClient;

/**
 * A phone's provisioning reads on Netty: HTTP 6970 with the plain client, HTTPS 6971 with the phone's HTTPS client,
 * whose gated exchange sends nothing before the phone's judge trusted the server certificate.
 */
final class ProvisioningReads implements HttpReads {
    private final HttpProvisioningClient http;
    private final PhoneHttpsClient https;
    private final ConsoleLog log;

    ProvisioningReads(HttpProvisioningClient http, PhoneHttpsClient https, ConsoleLog log) {
        this.http = http;
        this.https = https;
        this.log = log;
    }

    @Override
    public CompletableFuture<HttpRead> http(InetSocketAddress server, String name, long maxSize, Duration deadline) {
        return http.get(server, name, maxSize, deadline);
    }

    @Override
    public CompletableFuture<HttpRead> https(InetSocketAddress server, String name, long maxSize,
                                             Function<X509Certificate, CompletableFuture<Boolean>> judge) {
        URI url = URI.create("https://" + server.getHostString() + ":" + server.getPort() + "/" + name);
        return https.get(url, (cert, peer) -> judge.apply(cert), log).thenApply(r -> read(r, maxSize));
    }

    private static HttpRead read(HttpsResult r, long maxSize) {
        if (r instanceof HttpsResult.Ok ok) {
            return switch (ok.status()) {
                case 200 -> ok.body().length > maxSize ? new HttpRead.Answered(new TftpResult.TooLarge(maxSize))
                        : new HttpRead.Answered(new TftpResult.Received(ok.body()));
                case 404 -> new HttpRead.Answered(new TftpResult.FileNotFound());
                case 403 -> new HttpRead.Answered(new TftpResult.AccessViolation());
                default -> new HttpRead.Failed("HTTP status " + ok.status());
            };
        }
        if (r instanceof HttpsResult.Refused) {
            return new HttpRead.Failed("server certificate not trusted");
        }
        HttpsResult.Failed f = (HttpsResult.Failed) r;
        return new HttpRead.Failed(f.reason() + ": " + f.message());
    }
}
