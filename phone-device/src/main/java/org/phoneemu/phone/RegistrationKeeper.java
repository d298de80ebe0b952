package org.phoneemu.phone;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.phoneemu.core.sip.RegistrationPolicy;

/**
 * Keeps a phone registered on its clock (docs/SIP.md §3): waits on a {@link PhoneTimer} until the phone's
 * {@link Phone#reRegisterAt()} and calls {@link Phone#keepRegistered()} then, again and again, until closed. The phone
 * keeps its registration's connection open and renews on it ({@link Phone#keepsSipConnections}). Nothing here blocks:
 * the timer's task only asks the phone, whose executor does the work; the next wait is armed when the renewal ends.
 * A phone with no renewal time (its boot registration failed: it waits for the next boot) is looked at again after
 * {@link RegistrationPolicy#RETRY_AFTER_FAILED_RENEWAL}. When the phone loses the connection to the CallManager that
 * registered it, the phone makes its next REGISTER due now and tells the keeper, which re-arms on the same timer: the
 * failover runs on the timer's thread too, never on the event loop that saw the connection end (docs/SIP.md §3).
 */
public final class RegistrationKeeper implements AutoCloseable {
    private final Phone phone;
    private final Clock clock;
    private final PhoneTimer timer;
    private final Consumer<RegistrationStep> renewed;
    private volatile boolean closed;
    private PhoneTimer.Pending pending;

    private RegistrationKeeper(Phone phone, Clock clock, PhoneTimer timer, Consumer<RegistrationStep> renewed) {
        this.phone = phone;
        this.clock = clock;
        this.timer = timer;
        this.renewed = renewed;
    }

    /**
     * Starts keeping {@code phone} registered.
     *
     * @param clock   the phone's clock (the one it was built with)
     * @param renewed told of each renewal's step (registered, failed over, or not granted), on the phone's executor
     */
    public static RegistrationKeeper start(Phone phone, Clock clock, PhoneTimer timer, Consumer<RegistrationStep> renewed) {
        RegistrationKeeper k = new RegistrationKeeper(Objects.requireNonNull(phone), Objects.requireNonNull(clock),
                Objects.requireNonNull(timer), Objects.requireNonNull(renewed));
        phone.keepsSipConnections(true);
        phone.whenRegistrationChanges(k::arm);
        k.arm();
        return k;
    }

    /** How long until the next look: the renewal time, or the retry interval when there is none. */
    Duration delay() {
        Optional<Instant> at = phone.reRegisterAt();
        if (at.isEmpty()) {
            return RegistrationPolicy.RETRY_AFTER_FAILED_RENEWAL;
        }
        Duration d = Duration.between(clock.instant(), at.get());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** (Re-)arms the one wait; while a registration is on its way, only a fallback look (its end re-arms). */
    private synchronized void arm() {
        if (closed) {
            return;
        }
        if (pending != null) {
            pending.cancel();
        }
        pending = timer.after(phone.registering() ? RegistrationPolicy.RETRY_AFTER_FAILED_RENEWAL : delay(), this::due);
    }

    private void due() {
        if (closed) {
            return;
        }
        phone.keepRegistered().whenComplete((step, err) -> {
            if (step != null && step.isPresent() && !closed) {
                renewed.accept(step.get());
            }
            arm();
        });
    }

    /** Stops: no renewal after this one (one under way finishes). */
    @Override
    public synchronized void close() {
        closed = true;
        phone.whenRegistrationChanges(null);
        if (pending != null) {
            pending.cancel();
        }
    }
}
