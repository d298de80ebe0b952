package org.phoneemu.core.trustlist.internal;

/** Tags inside a trust-list record (docs/FORMATS.md §2), with CUCM's labels. */
public enum RecordTag {
    RECORD_LENGTH(1, "RECORDLENGTH"),
    DNS_NAME(2, "DNSNAME"),
    SUBJECT_NAME(3, "SUBJECTNAME"),
    FUNCTION(4, "FUNCTION"),
    ISSUER_NAME(5, "ISSUERNAME"),
    SERIAL_NUMBER(6, "SERIALNUMBER"),
    PUBLIC_KEY(7, "PUBLICKEY"),
    SIGNATURE(8, "SIGNATURE"),
    CERTIFICATE(9, "CERTIFICATE"),
    IP_ADDRESS(10, "IPADDRESS"),
    CERT_HASH(11, "CERTHASH"),
    HASH_ALGORITHM(12, "HASH ALGORITHM");

    private final int code;
    private final String label;

    RecordTag(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static RecordTag of(int code) {
        for (RecordTag t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** CUCM's label, or the number for a tag this emulator does not know. */
    public static String label(int code) {
        RecordTag t = of(code);
        return t == null ? Integer.toString(code) : t.label;
    }
}
