package org.phoneemu.tac.predict;

import java.util.List;

/**
 * The cluster and the phones after one step.
 *
 * @param number 1-based; 0 for the phones' state before the change, steps + 1 for the reboot after the change
 * @param cucmOutput what CUCM printed for an admin step (empty otherwise)
 * @param refused CUCM refused the command (the hold timer, a subscriber, a typo): nothing changed
 * @param phonesRebooted true when the phones really reboot here (their result carries on); false for "if a phone
 *                       rebooted now" (a power cycle): the phones keep what they had
 * @param why why the phones boot here, in words
 * @param servedItl the ITL the cluster serves after the step: MD5, signer and serial
 */
public record StepResult(int number, String step, List<String> cucmOutput, boolean refused, boolean phonesRebooted, String why,
                         String servedItl, List<PhoneOutcome> phones) {
    public StepResult {
        cucmOutput = List.copyOf(cucmOutput);
        phones = List.copyOf(phones);
    }

    public List<PhoneGroup> groups() {
        return PhoneGroup.of(phones);
    }

    public long count(Verdict v) {
        return phones.stream().filter(p -> p.verdict() == v).count();
    }

    public boolean allTrusted() {
        return phones.stream().allMatch(p -> p.verdict() == Verdict.TRUSTED);
    }
}
