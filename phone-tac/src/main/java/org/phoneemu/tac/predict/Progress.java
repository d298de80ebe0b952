package org.phoneemu.tac.predict;

/**
 * Where a prediction is, written by the prediction's thread and read by any other (a progress line on stderr, a
 * signal handler saying how far it got): what it is doing, and how many simulated boots it has run.
 */
public final class Progress {
    private volatile String phase = "starting";
    private volatile String lastPhone = "";
    private volatile long boots;
    private volatile int simulated;
    private volatile int phones;

    void phase(String text) {
        phase = text;
    }

    void phones(int simulatedPhones, int allPhones) {
        simulated = simulatedPhones;
        phones = allPhones;
    }

    void booting(String phone) {
        lastPhone = phone;
        boots++;
    }

    /** How many phone boots were simulated so far. */
    public long simulatedBoots() {
        return boots;
    }

    /** One line: the phase, the phones (simulated for how many) and the boots run so far. */
    public String describe() {
        String who = phones == 0 ? "" : ", " + phones + " phone" + (phones == 1 ? "" : "s")
                + (simulated < phones ? " (" + simulated + " simulated, each for the phones that end the same way)" : "");
        return phase + who + ", " + boots + " simulated boot" + (boots == 1 ? "" : "s") + (lastPhone.isEmpty() ? "" : " (last: " + lastPhone + ")");
    }
}
