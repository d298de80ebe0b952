package org.phoneemu.tac.predict;

import java.util.List;

/**
 * One phone's boot at one step of a prediction.
 *
 * @param installedBefore the ITL and CTL MD5s the phone held when it booted ("none" when absent)
 * @param itlChanged whether it installed another ITL this boot
 * @param tvs the TVS servers it asked, in order, and what each would do
 * @param rule the phone's own deciding console line, the MAC written {@code <MAC>}
 * @param provisioning for a model that provisions over HTTPS, what its own decision on the 6971 certificate did to its
 *                     configuration download this boot when it refused it (empty otherwise), the MAC written {@code <MAC>}
 * @param registration how its registration after the config ends (docs/SIP.md)
 */
public record PhoneOutcome(String phone, String installedBefore, Verdict verdict, boolean itlChanged, List<TvsConsultation> tvs,
                           String rule, String provisioning, RegistrationVerdict registration) {
    public PhoneOutcome {
        tvs = List.copyOf(tvs);
        java.util.Objects.requireNonNull(registration, "registration");
    }

    public PhoneOutcome(String phone, String installedBefore, Verdict verdict, boolean itlChanged, List<TvsConsultation> tvs, String rule) {
        this(phone, installedBefore, verdict, itlChanged, tvs, rule, "", new RegistrationVerdict.NotAttempted("not modelled"));
    }

    /** The same outcome for another phone of the same group (the rule carries no MAC). */
    PhoneOutcome as(String otherPhone) {
        return new PhoneOutcome(otherPhone, installedBefore, verdict, itlChanged, tvs, rule, provisioning, registration);
    }

    public boolean askedTvs() {
        return !tvs.isEmpty();
    }
}
