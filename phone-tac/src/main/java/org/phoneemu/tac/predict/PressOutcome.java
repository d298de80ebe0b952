package org.phoneemu.tac.predict;

import java.util.List;
import java.util.Optional;
import org.phoneemu.core.https.HttpsDecision;

/**
 * One phone's press of Directories or Services at one step: the phone's own HTTPS certificate check decided.
 *
 * @param installedBefore the ITL and CTL MD5s the phone held when it pressed
 * @param via where the phone found the server's certificate trusted (empty unless shown)
 * @param tvs the TVS servers it asked, in order, and what each would do (empty: TVS not asked)
 * @param rule why, in one line
 */
public record PressOutcome(String phone, String installedBefore, PressVerdict result, Optional<HttpsDecision.Source> via,
                           List<TvsConsultation> tvs, String rule) {
    public PressOutcome {
        tvs = List.copyOf(tvs);
    }

    /** The same outcome for another phone of the same group; a rule that names the phone names the other one. */
    PressOutcome as(String otherPhone) {
        return new PressOutcome(otherPhone, installedBefore, result, via, tvs, rule.replace(phone, otherPhone));
    }

    public boolean askedTvs() {
        return !tvs.isEmpty();
    }
}
