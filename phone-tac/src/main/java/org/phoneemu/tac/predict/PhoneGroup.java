package org.phoneemu.tac.predict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Phones that held the same lists and end the same way for the same reason, and register (or not) alike. */
public record PhoneGroup(String installedBefore, Verdict verdict, boolean itlChanged, List<TvsConsultation> tvs, String rule,
                         String provisioning, RegistrationVerdict registration, List<String> phones) {
    public PhoneGroup {
        tvs = List.copyOf(tvs);
        phones = List.copyOf(phones);
    }

    /**
     * Whether the verdict rests on an expiry rule no source states (the phone's reason carries
     * {@link org.phoneemu.core.trust.ExpiredSigner#ASSUMED}): the report labels it "assumed".
     */
    public boolean assumed() {
        return rule.contains(org.phoneemu.core.trust.ExpiredSigner.ASSUMED);
    }

    static List<PhoneGroup> of(List<PhoneOutcome> outcomes) {
        Map<List<Object>, List<PhoneOutcome>> by = new LinkedHashMap<>();
        for (PhoneOutcome o : outcomes) {
            by.computeIfAbsent(List.of(o.installedBefore(), o.verdict(), o.itlChanged(), o.tvs(), o.rule(), o.provisioning(), o.registration()), k -> new ArrayList<>()).add(o);
        }
        List<PhoneGroup> out = new ArrayList<>();
        for (List<PhoneOutcome> g : by.values()) {
            PhoneOutcome f = g.get(0);
            out.add(new PhoneGroup(f.installedBefore(), f.verdict(), f.itlChanged(), f.tvs(), f.rule(), f.provisioning(), f.registration(), g.stream().map(PhoneOutcome::phone).toList()));
        }
        return out;
    }
}
