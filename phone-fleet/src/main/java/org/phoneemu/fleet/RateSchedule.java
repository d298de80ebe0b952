package org.phoneemu.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The ramp of a round: phones started per second, in steps from the round's start (e.g. 50/s from the start,
 * 100/s from 30 s, 200/s from 60 s). A single step of 0 starts phones as fast as the concurrency allows.
 *
 * @param steps the first from 0 s, each later one from a later moment
 */
public record RateSchedule(List<Step> steps) {
    /** From {@code from} after the round's start (until the next step), {@code perSecond} phones a second. */
    public record Step(Duration from, double perSecond) {
        public Step {
            Objects.requireNonNull(from);
            if (from.isNegative()) {
                throw new IllegalArgumentException("a step cannot start before the round");
            }
            if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("a rate is a number of phones per second, 0 or more");
            }
        }
    }

    public RateSchedule {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !steps.get(0).from().isZero()) {
            throw new IllegalArgumentException("the first step starts with the round (no @ time)");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).from().compareTo(steps.get(i - 1).from()) <= 0) {
                throw new IllegalArgumentException("the steps' times must increase");
            }
        }
        // 0 means "no limit": a step of it among limited ones would be a burst of every phone left, never meant.
        if (steps.size() > 1 && steps.stream().anyMatch(s -> s.perSecond() == 0)) {
            throw new IllegalArgumentException("a stepped rate is more than 0 phones/s at every step");
        }
    }

    public static RateSchedule constant(double perSecond) {
        return new RateSchedule(List.of(new Step(Duration.ZERO, perSecond)));
    }

    /** Whether phones are started at a rate at all (not as fast as the concurrency allows). */
    public boolean limited() {
        return steps.get(0).perSecond() > 0;
    }

    /** Phones a second at {@code elapsedNanos} after the round's start. */
    public double perSecondAt(long elapsedNanos) {
        double rate = steps.get(0).perSecond();
        for (Step s : steps) {
            if (s.from().toNanos() > elapsedNanos) {
                break;
            }
            rate = s.perSecond();
        }
        return rate;
    }

    /** As the dry run and the docs write it: {@code 50 phones/s, 100 from 30 s, 200 from 60 s}. */
    public String describe() {
        if (!limited()) {
            return "as fast as possible";
        }
        return steps.stream().map(s -> s.from().isZero() ? number(s.perSecond()) + " phones/s"
                : number(s.perSecond()) + " from " + s.from().toSeconds() + " s").collect(Collectors.joining(", "));
    }

    private static String number(double d) {
        // A ramp file by phones gives rates like 141.666...: two decimals say it.
        return d == Math.rint(d) ? Long.toString((long) d)
                : java.math.BigDecimal.valueOf(d).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
