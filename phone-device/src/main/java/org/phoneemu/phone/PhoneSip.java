package org.phoneemu.phone;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.sip.CallManagerTarget;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.core.sip.RegistrationPolicy;
import org.phoneemu.core.sip.SipServerTrust;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.core.sip.SipTransportPolicy;
import org.phoneemu.core.sip.TransportDecision;
import org.phoneemu.core.trust.SecurityDaemon;
import org.phoneemu.core.trustlist.InstalledTrust;

/**
 * The phone's registration after its configuration is verified (docs/SIP.md): the transport decided from the config and
 * the lists (phone-core), the REGISTER over the group through the {@link PhoneNetwork}, the outcome recorded and the
 * next REGISTER timed on the phone's clock. Decisions and state changes run on the phone's executor; the network's
 * answer arrives on a network thread and is applied on the executor.
 */
final class PhoneSip {
    /** The phone's screen after a final refusal; the forum reports of "Registration Rejected" (capitalisation guessed). */
    static final String STATUS_REJECTED = "Registration Rejected";

    private final String mac;
    private final String model;
    /** The TFTP server's address: the last CallManager the phone tries ({@link RegistrationPolicy#withTftpFallback}). */
    private final java.util.function.Supplier<String> tftpServer;
    private final SecurityDaemon secd;
    private final ConsoleLog log;
    private final PhoneNetwork network;
    private final Clock clock;
    private final Executor serial;
    private volatile boolean enabled;
    /** Whether the registration's connections stay open to be renewed on (docs/SIP.md §3): a phone kept registered. */
    private volatile boolean keepsConnections;
    /** Whether a registration sends the DeviceTLInfo alarm (docs/SIP.md §11); a fleet turns it off. */
    private volatile boolean reportsTrustLists = true;
    /** The last registration and when to send the next REGISTER; written on the executor, read by views. */
    private volatile Optional<RegistrationStep> current = Optional.empty();
    private volatile Optional<Instant> reRegisterAt = Optional.empty();
    /** A registration is on its way (executor only): keepRegistered does not start a second one beside it. */
    private volatile boolean inFlight;
    /** Told when the next REGISTER time may have changed (a loss, a registration's end): the keeper, or null when none. */
    private volatile Runnable registrationChanged;
    /** The CallManager whose connection was lost while it registered the phone, tried last until another registers it (executor). */
    private Optional<CallManagerTarget> lostTarget = Optional.empty();
    /**
     * A connection lost while a registration was on its way (executor only): applied when that registration ends, if
     * it ended registered on that CallManager (the connection it just adopted), else dropped.
     */
    private Optional<CallManagerTarget> lostWhileRegistering = Optional.empty();
    /** Failovers into the current loss ({@link RegistrationPolicy#afterLostConnection}); executor only. */
    private int lossTries;

    PhoneSip(String mac, String model, java.util.function.Supplier<String> tftpServer, SecurityDaemon secd, ConsoleLog log, PhoneNetwork network, Clock clock, Executor serial) {
        this.mac = mac;
        this.model = model;
        this.tftpServer = tftpServer;
        this.secd = secd;
        this.log = log;
        this.network = network;
        this.clock = clock;
        this.serial = serial;
    }

    void keepsConnections(boolean on) {
        keepsConnections = on;
    }

    /** {@code listener} (a {@link RegistrationKeeper}'s re-arm; null to stop) hears when the next REGISTER time may have changed. */
    void whenRegistrationChanges(Runnable listener) {
        registrationChanged = listener;
    }

    /** Whether a registration is on its way now. */
    boolean registering() {
        return inFlight;
    }

    void enable(boolean on) {
        enabled = on;
    }

    boolean enabled() {
        return enabled;
    }

    Optional<RegistrationStep> current() {
        return current;
    }

    Optional<Instant> reRegisterAt() {
        return reRegisterAt;
    }

    /**
     * The boot's registration: empty when registration is off; {@code refetchTrustLists} downloads and offers the lists
     * again (a secure mode without CTL or ITL tries {@value SipTransportPolicy#TRUST_LIST_TRIES} times).
     */
    void reportsTrustLists(boolean on) {
        reportsTrustLists = on;
    }

    CompletableFuture<Optional<RegistrationStep>> afterConfig(boolean configApplied, Supplier<CompletableFuture<Void>> refetchTrustLists) {
        if (!enabled) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(() -> {
            reRegisterAt = Optional.empty();
            lostTarget = Optional.empty();
            lostWhileRegistering = Optional.empty();
            lossTries = 0;
            inFlight = configApplied;
            return configApplied;
        }, serial).thenCompose(ok -> ok ? tracked(() -> register(0, refetchTrustLists, false)).thenApply(Optional::of)
                : CompletableFuture.completedFuture(Optional.of(record(new RegistrationStep.NotAttempted("no verified configuration")))));
    }

    /**
     * Re-registers when the phone's clock has reached the time decided at the last registration
     * ({@link RegistrationPolicy#reRegisterAfter}); the group is tried in order again, so a primary that stopped
     * answering fails over to the next CallManager. Empty when nothing was due.
     */
    CompletableFuture<Optional<RegistrationStep>> keepRegistered() {
        return CompletableFuture.supplyAsync(() -> {
                    boolean due = !inFlight && reRegisterAt.filter(t -> !clock.instant().isBefore(t)).isPresent();
                    inFlight |= due;
                    return due;
                }, serial)
                .thenCompose(due -> due ? tracked(() -> register(0, () -> CompletableFuture.completedFuture(null), true))
                        .thenApply(Optional::of)
                        : CompletableFuture.completedFuture(Optional.empty()));
    }

    /** Runs {@code registration}, marked in flight by the caller on the executor; the mark is cleared there when it ends. */
    private CompletableFuture<RegistrationStep> tracked(Supplier<CompletableFuture<RegistrationStep>> registration) {
        CompletableFuture<RegistrationStep> r;
        try {
            r = registration.get();
        } catch (RuntimeException e) {
            r = CompletableFuture.failedFuture(e);
        }
        return r.whenCompleteAsync((step, err) -> {
            inFlight = false;
            Optional<CallManagerTarget> lostMeanwhile = lostWhileRegistering;
            lostWhileRegistering = Optional.empty();
            lostMeanwhile.ifPresent(this::failOverIfRegisteredThere);
            Runnable keeper = registrationChanged;
            if (keeper != null) {
                keeper.run();
            }
        }, serial);
    }

    /**
     * A connection kept for the registration ended on CallManager's side while idle (peer closed, reset, TLS alert):
     * called on an event loop, handed to the executor. When it is the connection to the CallManager that registers the
     * phone, and a keeper keeps the phone registered, the next REGISTER is due now (or after the back-off of repeated
     * losses) over the group with that CallManager last, so the backup kept warm takes the phone at once (docs/SIP.md
     * §3). The backup's own warm connection is opened again by the next renewal's keep-alive; a loss while a
     * registration is on its way is decided when it ends; connections the phone closes itself are not reported at all.
     */
    void connectionLost(CallManagerTarget target) {
        try {
            serial.execute(() -> lost(target));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The phone is stopping: nothing to fail over.
        }
    }

    private void lost(CallManagerTarget target) {
        Runnable keeper = registrationChanged;
        if (keeper == null || !keepsConnections) {
            return;
        }
        if (inFlight) {
            // Possibly the connection the registration on its way just adopted: decided when it ends.
            lostWhileRegistering = Optional.of(target);
            return;
        }
        if (failOverIfRegisteredThere(target)) {
            keeper.run();
        }
    }

    /** On the executor, no registration on its way: a failover is due when {@code target} registers the phone. */
    private boolean failOverIfRegisteredThere(CallManagerTarget target) {
        boolean registeredThere = current.flatMap(RegistrationStep::attempted)
                .filter(o -> o instanceof RegistrationOutcome.Registered r && r.target().equals(target)).isPresent();
        if (registrationChanged == null || !keepsConnections || !registeredThere) {
            return false;
        }
        Duration wait = RegistrationPolicy.afterLostConnection(lossTries);
        lostTarget = Optional.of(target);
        reRegisterAt = Optional.of(clock.instant().plus(wait));
        log.warn(org.phoneemu.sip.client.SipConsole.failingOver(target, wait));
        return true;
    }

    /** What the executor reads before the REGISTER: the decision, the targets, and the snapshot the TLS check uses. */
    private record Plan(TransportDecision transport, RegisterRequest request) {
    }

    private CompletableFuture<RegistrationStep> register(int tries, Supplier<CompletableFuture<Void>> refetchTrustLists, boolean renewal) {
        return CompletableFuture.supplyAsync(() -> plan(tries, renewal), serial).thenCompose(plan -> {
            if (plan instanceof RegistrationStep step) {
                return CompletableFuture.completedFuture(step);
            }
            if (plan instanceof TransportDecision.FetchTrustListFirst) {
                return refetchTrustLists.get().thenCompose(v -> register(tries + 1, refetchTrustLists, renewal));
            }
            Plan p = (Plan) plan;
            CompletableFuture<RegistrationOutcome> sent;
            try {
                sent = network.register(p.request(), log);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            return sent.handle((outcome, err) -> outcome != null ? outcome
                            : new RegistrationOutcome.Unreachable(List.of(new RegistrationOutcome.Attempt(p.request().targets().get(0),
                                    RegistrationOutcome.AttemptFailure.CONNECT_FAILED, String.valueOf(err.getMessage())))))
                    .thenApplyAsync(outcome -> applied(new RegistrationStep.Attempted(p.transport(), outcome, tries), renewal), serial);
        });
    }

    /** On the executor: a {@link Plan}, a step that ends here, or the decision to fetch the lists first. */
    private Object plan(int tries, boolean renewal) {
        Optional<PhoneConfig> config = secd.config();
        if (config.isEmpty()) {
            return record(new RegistrationStep.NotAttempted("no verified configuration"));
        }
        InstalledTrust lists = secd.trust();
        TransportDecision decision = SipTransportPolicy.decide(config.get(), lists, clock.instant(), tries);
        log.notice("SIP: transport " + decision.describe());
        if (decision instanceof TransportDecision.FetchTrustListFirst) {
            return decision;
        }
        List<CallManagerTarget> targets = RegistrationPolicy.targets(config.get().callManagers(), decision.transport());
        Optional<CallManagerTarget> failover = renewal ? lostTarget : Optional.empty();
        if (targets.isEmpty()) {
            log.error("SIP: no CallManager with a " + (decision.transport() == SipTransport.TLS ? "secured SIP" : "SIP")
                    + " port in the configuration: not registering");
            return record(new RegistrationStep.NotAttempted("no CallManager in the configuration"));
        }
        Predicate<X509Certificate> trusted = cert -> SipServerTrust.isTrustedCallManager(lists, cert);
        Instant now = clock.instant();
        if (decision.transport() == SipTransport.TLS) {
            secd.identity().flatMap(i -> i.expiryNote(now)).ifPresent(log::warn);
        }
        List<CallManagerTarget> group = RegistrationPolicy.withTftpFallback(targets, tftpServer.get());
        return new Plan(decision, new RegisterRequest(failover.map(l -> RegistrationPolicy.lostLast(group, l)).orElse(group), mac, model,
                decision.transport() == SipTransport.TLS ? secd.identity().map(i -> i.active(now)) : Optional.empty(), trusted,
                reportsTrustLists ? Optional.of(org.phoneemu.core.sip.DeviceTlInfo.of(new org.phoneemu.core.device.Mac(mac).deviceName(),
                        lists, tftpServer.get())) : Optional.empty(),
                decision instanceof TransportDecision.Tls tls ? tls.mode() : org.phoneemu.core.sip.DeviceSecurityMode.ENCRYPTED,
                config.get().digestCredentials(),
                !keepsConnections ? org.phoneemu.sip.client.ConnectionUse.CLOSE
                        : renewal ? org.phoneemu.sip.client.ConnectionUse.KEEP_REUSE : org.phoneemu.sip.client.ConnectionUse.KEEP_NEW,
                this::connectionLost));
    }

    /** On the executor: the outcome becomes the phone's state, its status message and its next REGISTER time. */
    private RegistrationStep applied(RegistrationStep.Attempted step, boolean renewal) {
        RegistrationOutcome outcome = step.outcome();
        Optional<CallManagerTarget> failedOver = renewal ? lostTarget : Optional.empty();
        if (outcome instanceof RegistrationOutcome.Registered r) {
            Duration after = RegistrationPolicy.reRegisterAfter(Duration.ofSeconds(r.expiresSeconds()));
            reRegisterAt = Optional.of(clock.instant().plus(after));
            // A failover's registration counts until it has held to its renewal: lost again before that, the next waits longer.
            lossTries = failedOver.isPresent() ? lossTries + 1 : 0;
            lostTarget = Optional.empty();
        } else if (failedOver.isPresent()) {
            lossTries++;
            Duration wait = RegistrationPolicy.afterLostConnection(lossTries);
            reRegisterAt = Optional.of(clock.instant().plus(wait));
            log.warn(org.phoneemu.sip.client.SipConsole.failoverFailed(failedOver.get(), wait));
            if (outcome instanceof RegistrationOutcome.Refused) {
                status(STATUS_REJECTED);
            }
        } else {
            // A failed renewal is tried again later; a failed boot registration waits for the next boot, as before.
            reRegisterAt = renewal ? Optional.of(clock.instant().plus(RegistrationPolicy.RETRY_AFTER_FAILED_RENEWAL)) : Optional.empty();
            // No public source gives the status message of a phone no CallManager answered: none is invented.
            if (outcome instanceof RegistrationOutcome.Refused) {
                status(STATUS_REJECTED);
            }
        }
        return record(step);
    }

    private RegistrationStep record(RegistrationStep step) {
        current = Optional.of(step);
        return step;
    }

    private void status(String text) {
        secd.status().add(text);
        try {
            secd.store().saveStatus();
        } catch (IOException e) {
            log.warn("SECD: flash: cannot save the status messages: " + e.getMessage());
        }
    }
}
