package org.phoneemu.phone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.phoneemu.capf.api.CapfFlash;
import org.phoneemu.capf.api.CapfOutcome;
import org.phoneemu.capf.api.CapfRequest;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.CapfInstruction;
import org.phoneemu.core.config.CapfServerEntry;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.trust.SecurityDaemon;

/**
 * The boot's CAPF step: when the applied configuration has a certificate operation pending, run it, then
 * download the configuration again (an encrypted one is now wrapped to the new LSC). One session per boot.
 */
final class PhoneCapf {
    private final String deviceName;
    private final SecurityDaemon secd;
    private final ConsoleLog log;
    private final PhoneNetwork network;
    private final Clock clock;
    private final Executor serial;
    private volatile String typedAuthString;

    PhoneCapf(String deviceName, SecurityDaemon secd, ConsoleLog log, PhoneNetwork network, Clock clock, Executor serial) {
        this.deviceName = deviceName;
        this.secd = secd;
        this.log = log;
        this.network = network;
        this.clock = clock;
        this.serial = serial;
        if (serial instanceof SerialExecutor s) {
            secd.store().confineWritesTo(s::runsHere);
        }
    }

    void enterAuthString(String digits) {
        CapfAuthMode.authStringProblem(digits).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        typedAuthString = digits;
    }

    /** After the config step: completes with what is applied at the end (the re-downloaded config after a change). */
    CompletableFuture<Optional<String>> afterConfig(Optional<String> applied, Supplier<CompletableFuture<Optional<String>>> downloadConfig) {
        if (applied.isEmpty()) {
            return CompletableFuture.completedFuture(applied);
        }
        return CompletableFuture.supplyAsync(this::request, serial).thenCompose(request -> {
            if (request.isEmpty()) {
                return CompletableFuture.completedFuture(applied);
            }
            return network.capf(request.get(), CapfFlash.of(secd.store(), serial), log, clock)
                    .thenApplyAsync(outcome -> {
                        if (outcome instanceof CapfOutcome.Installed || outcome instanceof CapfOutcome.Deleted) {
                            // The LSC the phone held is gone: nothing kept for it may present it again.
                            request.get().identity().flatMap(org.phoneemu.core.pki.PhoneIdentity::lsc).ifPresent(network::clientCertificateReplaced);
                        }
                        return record(outcome);
                    }, serial)
                    .thenCompose(outcome -> outcome instanceof CapfOutcome.Installed || outcome instanceof CapfOutcome.Deleted
                            ? downloadConfig.get() : CompletableFuture.completedFuture(applied));
        });
    }

    private Optional<CapfRequest> request() {
        Optional<CapfInstruction> instruction = secd.config()
                .flatMap(c -> secd.store().configXml().flatMap(xml -> CapfInstruction.from(c, xml)));
        if (instruction.isEmpty()) {
            return Optional.empty();
        }
        CapfInstruction i = instruction.get();
        Optional<String> authString = Optional.empty();
        if (i.authMode() == CapfAuthMode.AUTH_STRING) {
            if (typedAuthString == null) {
                log.notice("SECD: capfClientSession: certificate operation " + i.operation()
                        + " pending; waiting for the CAPF authentication string to be entered");
                return Optional.empty();
            }
            authString = Optional.of(typedAuthString);
        }
        CapfServerEntry server = i.servers().get(0);
        InetSocketAddress address = new InetSocketAddress(server.address(), server.port());
        if (address.isUnresolved()) {
            log.error("SECD: EROR:capfClientSession: cannot resolve the CAPF server " + server.address());
            return Optional.empty();
        }
        log.notice("SECD: capfClientSession: certificate operation " + i.operation() + " pending, authentication by "
                + i.authMode().text());
        return Optional.of(new CapfRequest(address, deviceName, i.authMode(), authString,
                secd.store().identity(), trustedCapf(secd.trust())));
    }

    /** The check runs on a network thread: it reads a snapshot of the lists, taken on the phone's executor. */
    private static java.util.function.Predicate<java.security.cert.X509Certificate> trustedCapf(
            org.phoneemu.core.trustlist.InstalledTrust snapshot) {
        return cert -> org.phoneemu.core.capf.CapfServerTrust.isTrustedCapf(snapshot, cert);
    }

    private CapfOutcome record(CapfOutcome outcome) {
        secd.status().add(outcome.statusMessage());
        try {
            secd.store().saveStatus();
        } catch (IOException e) {
            log.warn("SECD: flash: cannot save the status messages: " + e.getMessage());
        }
        if (outcome instanceof CapfOutcome.Installed || outcome instanceof CapfOutcome.Deleted) {
            typedAuthString = null; // the string is good for one operation only
        }
        return outcome;
    }
}
