package org.phoneemu.tac.predict;

import java.util.List;

/**
 * The cluster and the phones after one step.
 *
 * @param number 1-based; 0 for the phones' state before the change, steps + 1 for the reboot after the change
 * @param cucmOutput what CUCM printed for an admin step (empty otherwise)
 * @param refused CUCM refused the command (the hold timer, a subscriber, a typo): nothing changed
 * @param phonesRebooted true when phones really reboot here (their result carries on; at a reboot of one phone,
 *                       {@code phones} holds that one); false for "if a phone rebooted now" (a power cycle): the
 *                       phones keep what they had
 * @param why why the phones boot here, in words
 * @param servedItl the ITL the cluster serves after the step: MD5, signer and serial
 * @param phones the boots of this step
 * @param presses the presses of Directories or Services of this step
 * @param menus the Trust List menu operations of this step
 */
public record StepResult(int number, String step, List<String> cucmOutput, boolean refused, boolean phonesRebooted, String why,
                         String servedItl, List<PhoneOutcome> phones, List<PressOutcome> presses, List<MenuOutcome> menus) {
    public StepResult {
        cucmOutput = List.copyOf(cucmOutput);
        phones = List.copyOf(phones);
        presses = List.copyOf(presses);
        menus = List.copyOf(menus);
    }

    /** A step of boots only. */
    public StepResult(int number, String step, List<String> cucmOutput, boolean refused, boolean phonesRebooted, String why,
                      String servedItl, List<PhoneOutcome> phones) {
        this(number, step, cucmOutput, refused, phonesRebooted, why, servedItl, phones, List.of(), List.of());
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

    /** No press of this step ends in "Host Not Found". */
    public boolean noPressRefused() {
        return presses.stream().noneMatch(p -> p.result() == PressVerdict.REFUSED);
    }
}
