package org.phoneemu.core.trustlist;

/** What a phone has installed, derived from its trust store (docs/TRUST-RULES.md §1). */
public enum TrustState {
    NONE("no CTL, no ITL"),
    CTL_ONLY("CTL only"),
    ITL_ONLY("ITL only"),
    CTL_AND_ITL("CTL + ITL"),
    /** An installed ITL whose records are all blank ("Prepare Cluster for Rollback to pre-8.0"). */
    ROLLBACK("rollback ITL");

    private final String description;

    TrustState(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
