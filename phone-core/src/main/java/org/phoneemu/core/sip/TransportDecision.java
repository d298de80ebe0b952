package org.phoneemu.core.sip;

import org.phoneemu.core.trustlist.TrustListKind;

/** How the phone will register, decided from its configuration and trust lists ({@link SipTransportPolicy}). */
public sealed interface TransportDecision {
    /** The transport to use now (TCP while the phone still tries to fetch a trust list). */
    SipTransport transport();

    /** One line for the console and the boot report. */
    String describe();

    /**
     * TLS to the secured SIP port, CallManager judged by the CallManager records of {@code judgedBy}.
     *
     * @param mode Authenticated or Encrypted
     */
    record Tls(DeviceSecurityMode mode, TrustListKind judgedBy) implements TransportDecision {
        @Override
        public SipTransport transport() {
            return SipTransport.TLS;
        }

        @Override
        public String describe() {
            return "TLS (" + mode.displayName() + "; CallManager checked against the " + judgedBy + ")";
        }
    }

    /** TCP to the SIP port, and why not TLS. */
    record Tcp(String why) implements TransportDecision {
        @Override
        public SipTransport transport() {
            return SipTransport.TCP;
        }

        @Override
        public String describe() {
            return "TCP (" + why + ")";
        }
    }

    /**
     * The mode is secure but the phone holds neither CTL nor ITL: it fetches the lists again before it registers
     * ({@code triesLeft} more, of {@link SipTransportPolicy#TRUST_LIST_TRIES}).
     */
    record FetchTrustListFirst(int triesLeft) implements TransportDecision {
        @Override
        public SipTransport transport() {
            return SipTransport.TCP;
        }

        @Override
        public String describe() {
            return "secure mode without a CTL or ITL: fetching them again (" + triesLeft + " tries left) before registering";
        }
    }
}
