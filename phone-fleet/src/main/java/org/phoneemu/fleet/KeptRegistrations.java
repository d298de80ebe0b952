package org.phoneemu.fleet;

import java.time.Clock;
import java.time.Duration;
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
final class KeptRegistrations implements AutoCloseable {
    private final List<Phone> phones;
    private final Clock clock;
    private final PhoneTimer timer;
    /** Each phone's keeper once it registered (null before); at most one per phone, whatever its reboots. */
    private final AtomicReferenceArray<RegistrationKeeper> keepers;
    private final Map<String, Integer> byMac = new java.util.HashMap<>();
    /** Each kept phone's CallManager of its last accepted registration: a renewal accepted elsewhere is a failover. */
    private final AtomicReferenceArray<String> registeredAt;
    private final java.util.concurrent.atomic.AtomicInteger kept = new java.util.concurrent.atomic.AtomicInteger();
    private final LongAdder attempted = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final Map<String, AtomicLong> failedBecause = new ConcurrentHashMap<>();
    private volatile java.time.Instant started;
    private volatile java.time.Instant ended;
    private volatile boolean closed;

    private KeptRegistrations(List<Phone> phones, Clock clock, PhoneTimer timer) {
        this.phones = List.copyOf(phones);
        this.clock = clock;
        this.timer = timer;
        this.started = clock.instant();
        this.keepers = new AtomicReferenceArray<>(phones.size());
        this.registeredAt = new AtomicReferenceArray<>(phones.size());
        for (int i = 0; i < phones.size(); i++) {
            byMac.put(phones.get(i).mac(), i);
        }
    }

    /**
     * Keeps every phone of {@code phones} registered from the end of its boot on: {@link #follow} hands each finished boot
     * over, so a phone renews on its own schedule from its first registration (a storm of thousands of boots takes longer
     * than a registration lasts). Nothing is kept before.
     *
     * @param clock the phones' clock (the one they were built with)
     * @param timer waits on that clock
     */
    public static KeptRegistrations of(List<Phone> phones, Clock clock, PhoneTimer timer) {
        return new KeptRegistrations(phones, clock, timer);
    }

    /** Keeps every phone of {@code phones} that is registered now; the others wait for their next boot, as a phone does. */
    public static KeptRegistrations start(List<Phone> phones, Clock clock, PhoneTimer timer) {
        KeptRegistrations k = of(phones, clock, timer);
        for (int i = 0; i < phones.size(); i++) {
            k.bootEnded(i);
        }
        return k;
    }

    /** Each boot of {@code fleet} that ends registered starts (or goes on) keeping its phone registered. */
    public KeptRegistrations follow(Fleet fleet) {
        fleet.onBootDone(row -> {
            Integer i = byMac.get(row.device().mac());
            if (i != null) {
                bootEnded(i);
            }
        });
        return this;
    }

    /** Phone {@code i}'s boot ended: kept from now on if it registered; its CallManager is where the next renewal counts from. */
    private void bootEnded(int i) {
        Phone p = phones.get(i);
        Optional<String> at = node(p.registration());
        if (at.isEmpty() || closed) {
            return;
        }
        registeredAt.set(i, at.get());
        synchronized (keepers) {
            if (keepers.get(i) == null && !closed) {
                keepers.set(i, RegistrationKeeper.start(p, clock, timer, step -> renewed(i, step)));
                kept.incrementAndGet();
            }
        }
    }

    /** The soak starts now: {@link Renewals#kept()} counts from here (the renewals since each boot are counted all the same). */
    public void soakStarts() {
        started = clock.instant();
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

    /** How many phones are kept (those that registered). */
    public int phones() {
        return kept.get();
    }

    /** The counts so far (or at the end, once closed). */
    public Renewals renewals() {
        java.time.Instant end = ended != null ? ended : clock.instant();
        Map<String, Long> reasons = new java.util.HashMap<>();
        failedBecause.forEach((k, v) -> reasons.put(k, v.get()));
        int registered = 0;
        for (int i = 0; i < phones.size(); i++) {
            registered += keepers.get(i) != null && phones.get(i).registration().map(RegistrationStep::registered).orElse(false) ? 1 : 0;
        }
        return new Renewals(kept.get(), Duration.between(started, end), attempted.sum(), succeeded.sum(), failed.sum(),
                failovers.sum(), reasons, registered);
    }

    /** Stops every keeper: no renewal starts after this (one under way finishes, uncounted once it ends). */
    @Override
    public void close() {
        synchronized (keepers) {
            closed = true;
        }
        if (ended == null) {
            ended = clock.instant();
        }
        for (int i = 0; i < phones.size(); i++) {
            RegistrationKeeper k = keepers.get(i);
            if (k != null) {
                k.close();
            }
        }
    }
}
