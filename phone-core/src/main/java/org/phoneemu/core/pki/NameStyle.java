package org.phoneemu.core.pki;

/** How a distinguished name is written into a file: CUCM joins attributes with ';', other tools with ','. */
public enum NameStyle {
    /** {@code CN=test10pub.joemar2.lab;OU=tac;O=cisco;L=rtp;ST=nc;C=US}, as CUCM writes. */
    CUCM(";"),
    /** {@code CN=test10pub.lab.example,O=cisco,OU=tac}, RFC 4514 style. */
    RFC4514(",");

    private final String separator;

    NameStyle(String separator) {
        this.separator = separator;
    }

    public String separator() {
        return separator;
    }
}
