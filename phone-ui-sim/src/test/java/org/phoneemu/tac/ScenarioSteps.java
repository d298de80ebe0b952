package org.phoneemu.tac;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.lab.Lab;
import org.phoneemu.phone.Phone;
import org.phoneemu.scenario.Scenario;
import org.phoneemu.tac.predict.ChangeStep;

/** What the two predict-against-lab proofs share: a scenario's phone-side steps as predict's change steps, and its targets. */
final class ScenarioSteps {
    private ScenarioSteps() {
    }

    /** A clock, boot or menu step as predict's; empty for the steps each proof maps itself (CUCM commands, moves, presses). */
    static Optional<ChangeStep> phoneSide(Scenario.Step s) {
        if (s instanceof Scenario.Step.Clock c) {
            return Optional.of(new ChangeStep.Wait(Duration.ofSeconds(c.seconds())));
        }
        if (s instanceof Scenario.Step.Boot b) {
            return Optional.of(new ChangeStep.Reboot(phone(b.target())));
        }
        if (s instanceof Scenario.Step.Menu m) {
            ChangeStep.MenuOperation op = switch (m.operation()) {
                case "erase-itl" -> ChangeStep.MenuOperation.ERASE_ITL;
                case "erase-ctl" -> ChangeStep.MenuOperation.ERASE_CTL;
                case "factory-reset" -> ChangeStep.MenuOperation.FACTORY_RESET;
                default -> throw new IllegalArgumentException("unknown menu operation " + m.operation());
            };
            return Optional.of(new ChangeStep.Menu(op, phone(m.target())));
        }
        return Optional.empty();
    }

    /** A scenario target ("all" or a MAC) as predict names it. */
    static Optional<String> phone(String target) {
        return target.equals("all") ? Optional.empty() : Optional.of("SEP" + target.toUpperCase(Locale.ROOT));
    }

    /** A scenario target's phones in the lab. */
    static List<Phone> targets(Lab lab, String target) {
        return target.equals("all") ? lab.phones() : List.of(lab.phone(target).orElseThrow());
    }
}
