package org.phoneemu.tvs.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;
import org.phoneemu.core.tvs.TvsCache;
import org.phoneemu.tvs.frame.TvsFrame;

/**
 * One VERIFY against one TVS server, as a {@code tvs-verify} command runs it: the server ({@code host[:port]}),
 * how its TLS certificate is trusted (the TVS records of a trust-list file, or one pinned certificate), the device
 * name (default {@value #DEFAULT_DEVICE_NAME}) and the certificate to verify. Built from files with errors fit for
 * a user; {@link #describe(TvsOutcome)} prints the answer as Status, Roles and TTL.
 */
public final class TvsVerifyRequest {
    public static final String DEFAULT_DEVICE_NAME = "CP-7970-SEP001122334455";

    private final TvsServer server;
    private final Predicate<X509Certificate> trustedTvs;
    private final String trustSource;
    private final String deviceName;
    private final X509Certificate certificate;
    private final Optional<KeyMaterial> clientCertificate;
    private final TvsClientOptions options;

    private TvsVerifyRequest(Builder b, Predicate<X509Certificate> trustedTvs, String trustSource) {
        this.server = b.server;
        this.trustedTvs = trustedTvs;
        this.trustSource = trustSource;
        this.deviceName = b.deviceName;
        this.certificate = b.certificate;
        this.clientCertificate = b.clientCertificate;
        this.options = b.options;
    }

    public static Builder builder() {
        return new Builder();
    }

    public TvsServer server() {
        return server;
    }

    public String deviceName() {
        return deviceName;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Where the TVS server's certificate is trusted from, e.g. {@code "TVS records of ITLFile.tlv (2)"}. */
    public String trustSource() {
        return trustSource;
    }

    public Predicate<X509Certificate> trustedTvs() {
        return trustedTvs;
    }

    /** Sends the request with {@code client}. */
    public CompletableFuture<TvsOutcome> send(TvsClient client, ConsoleLog log) {
        return client.verify(List.of(server), certificate, deviceName, trustedTvs, clientCertificate, log);
    }

    /** Sends the request with a client of its own and waits for the outcome. */
    public TvsOutcome execute(ConsoleLog log) throws TvsVerifyException {
        try (TvsClient client = TvsClient.create(options, log)) {
            long budget = options.connectTimeout().plus(options.handshakeTimeout()).plus(options.readTimeout()).toMillis() + 5_000;
            return send(client, log).get(budget, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TvsVerifyException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new TvsVerifyException("TVS verify did not complete: " + e, e);
        }
    }

    /** The outcome as lines for a person: {@code Status: 0 (valid)}, {@code Roles: …}, {@code TTL: …}. */
    public static List<String> describe(TvsOutcome outcome) {
        List<String> lines = new ArrayList<>();
        if (outcome instanceof TvsOutcome.Verdict v) {
            lines.add("TVS server: " + v.server());
            lines.add("Status: " + v.status() + (v.valid() ? " (valid)" : " (invalid)"));
            lines.add("Roles: " + (v.roles().isEmpty() ? "none"
                    : String.join(", ", v.roles().stream().map(r -> Role.displayName(r) + " (" + r + ")").toList())));
            lines.add("TTL: " + (v.ttlSeconds().isPresent() ? v.ttlSeconds().getAsLong() + " s"
                    : "none (a phone would cache a valid verdict for its default " + TvsCache.DEFAULT_TTL_SECONDS + " s)"));
        } else {
            TvsOutcome.AllFailed f = (TvsOutcome.AllFailed) outcome;
            lines.add(f.failures().isEmpty() ? "No verdict: no TVS server" : "No verdict from any TVS server");
            for (ServerFailure s : f.failures()) {
                lines.add("TVS server " + s.server() + ": " + s.reason() + " (" + s.message() + ")");
            }
        }
        return List.copyOf(lines);
    }

    /** Collects the inputs; {@link #build()} reads the files. */
    public static final class Builder {
        private TvsServer server;
        private Path trustList;
        private Path pinnedTvsCertificate;
        private String deviceName = DEFAULT_DEVICE_NAME;
        private Path certificatePath;
        private X509Certificate certificate;
        private Path clientCertificatePath;
        private Optional<KeyMaterial> clientCertificate = Optional.empty();
        private TvsClientOptions options = TvsClientOptions.DEFAULTS;

        private Builder() {
        }

        /** {@code host} or {@code host:port} (2445 by default). */
        public Builder server(String hostAndPort) {
            this.server = TvsServer.parse(hostAndPort);
            return this;
        }

        public Builder server(TvsServer server) {
            this.server = server;
            return this;
        }

        /** Trust the TVS server when a TVS record of this ITL/CTL file matches its certificate. */
        public Builder trustList(Path file) {
            this.trustList = file;
            return this;
        }

        /** Trust the TVS server only when it presents exactly the certificate of this PEM file. */
        public Builder pinnedTvsCertificate(Path pem) {
            this.pinnedTvsCertificate = pem;
            return this;
        }

        public Builder deviceName(String deviceName) {
            this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
            return this;
        }

        /** The certificate to verify: the first certificate of this PEM file. */
        public Builder certificate(Path pem) {
            this.certificatePath = pem;
            return this;
        }

        public Builder certificate(X509Certificate certificate) {
            this.certificate = certificate;
            return this;
        }

        /** The phone's LSC or MIC (key and certificate) for the TLS client certificate. */
        public Builder clientCertificate(Path pemWithKey) {
            this.clientCertificatePath = pemWithKey;
            return this;
        }

        public Builder clientCertificate(KeyMaterial keyMaterial) {
            this.clientCertificate = Optional.of(keyMaterial);
            return this;
        }

        public Builder options(TvsClientOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public TvsVerifyRequest build() throws TvsVerifyException {
            if (server == null) {
                throw new TvsVerifyException("no TVS server given (host[:port])");
            }
            try {
                TvsFrame.deviceNameElement(deviceName);
            } catch (IllegalArgumentException e) {
                throw new TvsVerifyException("bad device name: " + e.getMessage());
            }
            if (certificate == null) {
                if (certificatePath == null) {
                    throw new TvsVerifyException("no certificate to verify given");
                }
                certificate = readPem(certificatePath).certificate();
            }
            if (clientCertificatePath != null) {
                try {
                    clientCertificate = Optional.of(PemFile.readWithKey(clientCertificatePath));
                } catch (PemFiles.PemException e) {
                    throw new TvsVerifyException(e.getMessage(), e);
                }
            }
            if ((trustList == null) == (pinnedTvsCertificate == null)) {
                throw new TvsVerifyException("give exactly one of a trust list file or a pinned TVS certificate");
            }
            if (pinnedTvsCertificate != null) {
                X509Certificate pinned = readPem(pinnedTvsCertificate).certificate();
                byte[] pinnedDer = der(pinned);
                return new TvsVerifyRequest(this, c -> Arrays.equals(der(c), pinnedDer),
                        "pinned certificate " + pinnedTvsCertificate.getFileName());
            }
            List<TrustRecord> tvsRecords = readTvsRecords(trustList);
            return new TvsVerifyRequest(this, c -> tvsRecords.stream().anyMatch(r -> r.matches(c)),
                    "TVS records of " + trustList.getFileName() + " (" + tvsRecords.size() + ")");
        }

        private static KeyMaterial readPem(Path p) throws TvsVerifyException {
            try {
                return PemFile.read(p);
            } catch (PemFiles.PemException e) {
                throw new TvsVerifyException(e.getMessage(), e);
            }
        }

        private static List<TrustRecord> readTvsRecords(Path file) throws TvsVerifyException {
            byte[] bytes;
            try {
                bytes = org.phoneemu.core.io.InputFiles.bytes(file, 1L << 20); // a trust list is at most 550001 bytes
            } catch (IOException e) {
                throw new TvsVerifyException(org.phoneemu.core.io.FileProblem.reading(file, e), e);
            }
            TrustList list;
            try {
                list = TrustList.parse(bytes, file.getFileName().toString());
            } catch (MalformedFileException e) {
                throw new TvsVerifyException(file + " is not a trust list: " + e.getMessage(), e);
            }
            List<TrustRecord> records = list.recordsWithRole(Role.TVS);
            if (records.isEmpty()) {
                throw new TvsVerifyException(file + " holds no TVS record: no TVS server can be trusted with it");
            }
            return records;
        }

        private static byte[] der(X509Certificate c) {
            try {
                return c.getEncoded();
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }

    private static byte[] der(X509Certificate c) {
        return Builder.der(c);
    }
}
