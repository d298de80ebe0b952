package org.phoneemu.core.trustlist;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The trust lists a phone holds. The {@link TrustState} is derived from them, never stored twice. */
public record InstalledTrust(Optional<TrustList> ctl, Optional<TrustList> itl) {
    public static final InstalledTrust NONE = new InstalledTrust(Optional.empty(), Optional.empty());

    public TrustState state() {
        boolean rollback = itl.map(TrustList::isBlank).orElse(false);
        if (ctl.isPresent()) {
            return itl.isPresent() && !rollback ? TrustState.CTL_AND_ITL : TrustState.CTL_ONLY;
        }
        if (rollback) {
            return TrustState.ROLLBACK;
        }
        return itl.isPresent() ? TrustState.ITL_ONLY : TrustState.NONE;
    }

    /** The TFTP server is "secure" when a CTL or a non-rollback ITL is installed: configs must then be signed. */
    public boolean secure() {
        TrustState s = state();
        return s == TrustState.CTL_ONLY || s == TrustState.ITL_ONLY || s == TrustState.CTL_AND_ITL;
    }

    /** The lists to search, CTL first then ITL (a rollback ITL has nothing to search). */
    public List<TrustList> searchOrder() {
        List<TrustList> out = new ArrayList<>(2);
        ctl.ifPresent(out::add);
        itl.filter(l -> !l.isBlank()).ifPresent(out::add);
        return out;
    }

    /** This trust with {@code list} installed in its slot (CTL or ITL). */
    public InstalledTrust withCtlOrItl(TrustList list) {
        return list.kind() == TrustListKind.CTL ? withCtl(list) : withItl(list);
    }

    public InstalledTrust withCtl(TrustList newCtl) {
        return new InstalledTrust(Optional.of(newCtl), itl);
    }

    public InstalledTrust withItl(TrustList newItl) {
        return new InstalledTrust(ctl, Optional.of(newItl));
    }
}
