package org.phoneemu.cli;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.HdrHistogram.ConcurrentHistogram;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.cucm.sip.RegistrarCounts;
import org.phoneemu.phone.PhoneNetwork;
import org.phoneemu.phone.RegisterRequest;

/**
 * New registrations as fast as a registrar takes them: each phone's REGISTER through the phone network the fleet's
 * phones use ({@link PhoneNetwork#register}: a new TLS connection, the phone's certificate, CallManager's checked),
 * {@code inFlight} at once. The registration row of {@code bench fleet} against a peer the fleet cannot provision
 * (Kamailio serves no phone configuration).
 */
final class RegistrationStorm {
    /**
     * What a storm came to; latencies in milliseconds; what the registrar counted during the storm, when it is the
     * simulated one in this process.
     */
    record Result(int phones, int registered, double seconds, double p50, double p99, Optional<String> firstFailure,
                  Optional<RegistrarCounts> registrar) {
        double perSecond() {
            return seconds > 0 ? registered / seconds : 0;
        }

        Result withRegistrar(RegistrarCounts counts) {
            return new Result(phones, registered, seconds, p50, p99, firstFailure, Optional.of(counts));
        }

        /**
         * What a registration cost the registrar, from its counts: connections, handshakes (full: its private key used,
         * one RSA private-key operation; the phone's CertificateVerify is another), requests and answers, per registered
         * phone, and the protocols and suites negotiated. Empty without counts or registrations.
         */
        Optional<String> costLine() {
            if (registrar.isEmpty() || registered == 0) {
                return Optional.empty();
            }
            RegistrarCounts c = registrar.get();
            StringBuilder b = new StringBuilder("per registration at the registrar: ")
                    .append(per(c.tlsConnections())).append(" TLS connection(s), ")
                    .append(per(c.tlsHandshakes())).append(" handshake(s) (")
                    .append(per(c.fullHandshakes())).append(" full, ").append(per(c.resumedHandshakes())).append(" resumed)");
            c.requests().forEach((method, n) -> b.append(", ").append(per(n)).append(' ').append(method));
            c.answers().forEach((status, n) -> b.append(", ").append(per(n)).append(" answer(s) ").append(status));
            b.append("; ");
            b.append(c.suites().entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", ")));
            return Optional.of(b.toString());
        }

        private String per(long n) {
            return String.format(java.util.Locale.ROOT, "%.2f", (double) n / registered);
        }
    }

    /** One phone of the storm: its MAC and the certificate it presents. */
    record Phone(String mac, KeyMaterial certificate) {
    }

    private RegistrationStorm() {
    }

    static Result run(PhoneNetwork network, CallManagerTarget target, List<Phone> phones, Predicate<X509Certificate> trustedCallManager,
                      int inFlight, long timeoutSeconds) throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        ConcurrentHistogram micros = new ConcurrentHistogram(3);
        AtomicInteger registered = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        CompletableFuture<?>[] all = new CompletableFuture<?>[phones.size()];
        long t0 = System.nanoTime();
        for (int i = 0; i < phones.size(); i++) {
            slots.acquire(); // the caller's thread waits, never an event loop
            Phone p = phones.get(i);
            long start = System.nanoTime();
            CompletableFuture<RegistrationOutcome> f;
            try {
                f = network.register(new RegisterRequest(List.of(target), p.mac(), "7970", Optional.of(p.certificate()), trustedCallManager),
                        new ConsoleLog("SEP" + p.mac(), Clock.systemUTC(), 8));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            all[i] = f.orTimeout(timeoutSeconds, TimeUnit.SECONDS).whenComplete((o, e) -> {
                slots.release();
                micros.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                if (o instanceof RegistrationOutcome.Registered) {
                    registered.incrementAndGet();
                } else {
                    failure.compareAndSet(null, e != null ? String.valueOf(e.getMessage()) : o.summary());
                }
            });
        }
        CompletableFuture.allOf(all).handle((v, e) -> null).join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(phones.size(), registered.get(), seconds, micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, Optional.ofNullable(failure.get()), Optional.empty());
    }
}
