package org.phoneemu.tac.predict;

import java.util.List;

/**
 * What a planned change does to the phones: their state before, each step, the reboot after the change, counts,
 * warnings, and (when some phones end locked) in {@code saferOrder} an order of the same steps that keeps every phone trusted, if one does (empty otherwise; {@code saferOrderNote} says why).
 */
public record Prediction(String cluster, RebootPolicy reboots, StepResult before, List<StepResult> steps, StepResult after,
                         List<String> warnings, List<String> saferOrder, String saferOrderNote) {
    public Prediction {
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
        saferOrder = List.copyOf(saferOrder);
    }

    /**
     * True when every phone stays trusted at every real reboot, including the one after the change, and no press of
     * Directories or Services ends in "Host Not Found".
     */
    public boolean everyPhoneStaysTrusted() {
        return steps.stream().filter(StepResult::phonesRebooted).allMatch(StepResult::allTrusted)
                && steps.stream().allMatch(StepResult::noPressRefused) && after.allTrusted();
    }

    /** The steps CUCM would refuse (a typo, the hold timer, a subscriber): the change cannot be made as planned. */
    public List<StepResult> refusedSteps() {
        return steps.stream().filter(StepResult::refused).toList();
    }

    /**
     * The phones of {@code step} that registered before the change and would not register at this boot, in order
     * (none for the state before the change).
     */
    public List<PhoneOutcome> stopRegistering(StepResult step) {
        if (step == before) {
            return List.of();
        }
        java.util.Set<String> registeredBefore = new java.util.HashSet<>();
        before.phones().stream().filter(o -> o.registration().registered()).forEach(o -> registeredBefore.add(o.phone()));
        return step.phones().stream().filter(o -> !o.registration().registered() && registeredBefore.contains(o.phone())).toList();
    }

    /**
     * True when no phone that registered before the change would stop registering at a real reboot or after the
     * change. Not part of {@link #exitCode()} (docs/TAC.md: the exit code is the phones' trust; registration is
     * reported beside it, and {@code --json}'s {@code everyPhoneStaysRegistered} gates on it).
     */
    public boolean everyPhoneStaysRegistered() {
        return steps.stream().filter(StepResult::phonesRebooted).allMatch(s -> stopRegistering(s).isEmpty()) && stopRegistering(after).isEmpty();
    }

    /**
     * 0 every phone stays trusted and CUCM takes every step; 1 some phones end locked, refuse their config or are
     * refused their directory, or CUCM would refuse a step (the phones' fate then says nothing about the plan).
     */
    public int exitCode() {
        return everyPhoneStaysTrusted() && refusedSteps().isEmpty() ? 0 : 1;
    }
}
