package org.phoneemu.scenario;

import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.sip.RegistrationOutcome;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.RegistrationStep;

/** The {@code registered:} expectation, read from the phone's registration value (never from console lines). */
final class ScenarioSip {
    private ScenarioSip() {
    }

    /** Null when {@code want} holds for the phone's last registration, else what was found. */
    static String check(Phone phone, String want) {
        Optional<RegistrationStep> step = phone.registration();
        String got = step.map(RegistrationStep::text).orElse("not registering");
        Optional<RegistrationOutcome> outcome = step.flatMap(RegistrationStep::attempted);
        boolean registered = step.map(RegistrationStep::registered).orElse(false);
        boolean holds = switch (want.toLowerCase(Locale.ROOT)) {
            case "true" -> registered;
            case "false" -> !registered;
            case "tls", "tcp" -> outcome.filter(o -> o instanceof RegistrationOutcome.Registered r
                    && r.target().transport().name().equalsIgnoreCase(want)).isPresent();
            case "refused" -> outcome.filter(o -> o instanceof RegistrationOutcome.Refused).isPresent();
            default -> got.contains(want);
        };
        return holds ? null : "registration: " + got;
    }
}
