package org.phoneemu.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.PhoneTimer;
import org.phoneemu.phone.RegistrationKeeper;
import org.phoneemu.phone.RegistrationStep;

/**
 * A fleet's registrations kept and renewed (a soak, docs/FLEET.md): every phone registered when it starts gets the
 * {@link RegistrationKeeper} a single phone kept registered gets, so each renews on its own schedule on the connection
 * it kept, with the next CallManager kept warm (docs/SIP.md §3); this counts what the renewals came to. Nothing here
 * blocks: the keepers' timer hands each renewal to its phone, whose answer is counted on the phone's executor.
 */
public final class KeptRegistrations implements AutoCloseable {
    private final List<Phone> phones;
    private final List<RegistrationKeeper> keepers = new ArrayList<>();
    /** Each kept phone's CallManager of its last accepted registration: a renewal accepted elsewhere is a failover. */
    private final AtomicReferenceArray<String> registeredAt;
    private final LongAdder attempted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final Map<String, AtomicLong> failedBecause = new ConcurrentHashMap<>();
    private final Clock clock;
    private final java.time.Instant started;
    private volatile java.time.Instant ended;

    private KeptRegistrations(List<Phone> phones, Clock clock) {
        this.phones = phones;
        this.clock = clock;
        this.started = clock.instant();
        this.registeredAt = new AtomicReferenceArray<>(phones.size());
    }

    /**
     * Starts keeping every phone of {@code fleet} that is registered now; the others (refused, unreachable, no verified
     * configuration) wait for their next boot, as a phone does.
     *
     * @param clock the phones' clock (the one they were built with)
     * @param timer waits on that clock
     */
    public static KeptRegistrations start(List<Phone> fleet, Clock clock, PhoneTimer timer) {
        List<Phone> registered = fleet.stream().filter(p -> p.registration().map(RegistrationStep::registered).orElse(false)).toList();
        KeptRegistrations k = new KeptRegistrations(registered, clock);
        for (int i = 0; i < registered.size(); i++) {
            int index = i;
            Phone p = registered.get(i);
            k.registeredAt.set(i, node(p.registration()).orElse(""));
            k.keepers.add(RegistrationKeeper.start(p, clock, timer, step -> k.renewed(index, step)));
        }
        return k;
    }

    private static Optional<String> node(Optional<RegistrationStep> step) {
        return step.flatMap(RegistrationStep::attempted).filter(o -> o instanceof RegistrationOutcome.Registered)
                .map(o -> ((RegistrationOutcome.Registered) o).target().node());
    }

    private void renewed(int index, RegistrationStep step) {
        attempted.increment();
        Optional<String> at = node(Optional.of(step));
        if (at.isPresent()) {
            succeeded.increment();
            String before = registeredAt.getAndSet(index, at.get());
            if (!at.get().equalsIgnoreCase(before)) {
                failovers.increment();
            }
            return;
        }
        failed.increment();
        String why = step.text();
        if (!failedBecause.containsKey(why) && failedBecause.size() >= Renewals.MAX_REASONS) {
            why = Renewals.OTHER;
        }
        failedBecause.computeIfAbsent(why, w -> new AtomicLong()).incrementAndGet();
    }

    /** How many phones are kept. */
    public int phones() {
        return phones.size();
    }

    /** The counts so far (or at the end, once closed). */
    public Renewals renewals() {
        java.time.Instant end = ended != null ? ended : clock.instant();
        Map<String, Long> reasons = new java.util.HashMap<>();
        failedBecause.forEach((k, v) -> reasons.put(k, v.get()));
        int registered = 0;
        for (Phone p : phones) {
            registered += p.registration().map(RegistrationStep::registered).orElse(false) ? 1 : 0;
        }
        return new Renewals(phones.size(), Duration.between(started, end), attempted.sum(), succeeded.sum(), failed.sum(),
                failovers.sum(), reasons, registered);
    }

    /** Stops every keeper: no renewal starts after this (one under way finishes, uncounted once it ends). */
    @Override
    public void close() {
        if (ended == null) {
            ended = clock.instant();
        }
        keepers.forEach(RegistrationKeeper::close);
    }
}
