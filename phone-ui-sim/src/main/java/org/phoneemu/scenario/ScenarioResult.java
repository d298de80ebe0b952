package org.phoneemu.scenario;

import java.time.Duration;
import java.util.List;

/** What running one scenario file gave: one check per expectation (and per admin output check). */
public record ScenarioResult(Scenario scenario, List<Check> checks, Duration elapsed, String error) {
    /** One named check: passed, or failed with the reason. */
    public record Check(String name, boolean passed, String failure) {
    }

    public boolean passed() {
        return error == null && checks.stream().allMatch(Check::passed);
    }

    public long failures() {
        return checks.stream().filter(c -> !c.passed()).count();
    }
}
