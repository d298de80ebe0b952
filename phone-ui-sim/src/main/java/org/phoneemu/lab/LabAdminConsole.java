package org.phoneemu.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.web.AdminConsole;

/**
 * The dashboard's admin panel on a lab: CUCM commands run on the publisher's {@code admin:} shell, plus the lab's
 * own controls: the virtual clock (to pass CUCM's 5-minute hold timer), rebooting every phone, and whether CUCM's
 * resets reach the phones (off, the phones miss the reset between two regenerations, as in the locked story).
 */
public final class LabAdminConsole implements AdminConsole {
    /** Just past CUCM's hold timer between two certificate regenerations on a node. */
    public static final Duration HOLD_TIMER_STEP = Duration.ofSeconds(301);

    private final Lab lab;
    private final Optional<VirtualClock> clock;

    public LabAdminConsole(Lab lab, Optional<VirtualClock> clock) {
        this.lab = lab;
        this.clock = clock;
    }

    @Override
    public String run(String command) {
        return lab.adminFromWeb(command);
    }

    @Override
    public List<String> suggestedCommands() {
        return List.of("show itl", "set cert regen CallManager", "set cert regen TVS", "utils service restart Cisco Tftp",
                "utils service restart Cisco Trust Verification Service", "utils itl reset localkey", "utils reset phones");
    }

    @Override
    public List<Control> controls() {
        List<Control> out = new ArrayList<>();
        clock.ifPresent(c -> out.add(new Control("clock", "Virtual clock +" + HOLD_TIMER_STEP.toSeconds() + " s",
                "Moves the lab's virtual clock past CUCM's 5-minute hold timer")));
        out.add(new Control("reboot", "Reboot all phones", "Every phone reboots: trust lists, then its config"));
        out.add(new Control("ignore-resets", "Phones ignore CUCM resets",
                "CUCM's resets no longer reach the phones, as if they were unplugged"));
        out.add(new Control("follow-resets", "Phones follow CUCM resets", "CUCM's resets reboot the phones (the default)"));
        return out;
    }

    @Override
    public String control(String id) {
        switch (id) {
            case "clock" -> {
                VirtualClock c = clock.orElseThrow(() -> new IllegalArgumentException("this lab runs on the system clock"));
                return "virtual clock +" + HOLD_TIMER_STEP.toSeconds() + " s: now " + c.advance(HOLD_TIMER_STEP);
            }
            case "reboot" -> {
                lab.bootAll();
                return "rebooting " + lab.phones().size() + " phone(s)";
            }
            case "ignore-resets" -> {
                lab.ignoreResets(true);
                return "CUCM's resets no longer reach the phones";
            }
            case "follow-resets" -> {
                lab.ignoreResets(false);
                return "CUCM's resets reboot the phones";
            }
            default -> throw new IllegalArgumentException("no such control: " + id);
        }
    }
}
