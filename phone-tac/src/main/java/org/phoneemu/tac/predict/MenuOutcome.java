package org.phoneemu.tac.predict;

/**
 * One phone's Trust List menu operation at one step, as the phone's own menu code decided it.
 *
 * @param done the phone did it; false: it refused (settingsAccess 0)
 * @param rule what the phone said, in one line
 */
public record MenuOutcome(String phone, ChangeStep.MenuOperation operation, boolean done, String rule) {
}
