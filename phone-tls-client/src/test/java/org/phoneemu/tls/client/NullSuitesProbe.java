package org.phoneemu.tls.client;

import java.util.Optional;

/** Run in a child JVM by {@link NullSuitesTest}: "allow" does what the launcher's main does, "plain" nothing. */
public final class NullSuitesProbe {
    private NullSuitesProbe() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("allow")) {
            NullSuites.allowInThisJvm();
        }
        String refused;
        try {
            ClientTls.context(Optional.empty(), TlsProfile.SIP_AUTHENTICATED);
            refused = "none";
        } catch (IllegalStateException e) {
            refused = e.getMessage();
        }
        System.out.println("negotiable=" + NullSuites.negotiable() + " refused=" + refused);
    }
}
