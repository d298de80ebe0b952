package org.phoneemu.sip.client;

import org.phoneemu.core.sip.CallManagerTarget;

/**
 * The registration's console lines. The real phone's SIP log wording is not public: these lines are this project's,
 * kept in one place so they can be replaced by the real ones when known (docs/SIP.md §6).
 */
final class SipConsole {
    private SipConsole() {
    }

    static String connecting(CallManagerTarget t) {
        return "SIP: registering to " + t.node() + ":" + t.port() + " over " + t.transport();
    }

    static String sent(CallManagerTarget t) {
        return sent(t, "REGISTER");
    }

    static String sent(CallManagerTarget t, String method) {
        return "SIP: " + method + " sent to " + t.node() + ":" + t.port();
    }

    static String alarmAnswered(CallManagerTarget t, int status, String reason) {
        return "SIP: " + t.node() + " answered the DeviceTLInfo alarm: " + status + " " + reason;
    }

    static String alarmNotDelivered(CallManagerTarget t, String why) {
        return "SIP: DeviceTLInfo alarm not delivered to " + t.node() + ": " + why;
    }

    static String expired(CallManagerTarget t, String reason) {
        return "SIP: CallManager " + t.node() + ":" + t.port() + ": " + reason + ": nothing sent, closing";
    }

    static String untrusted(CallManagerTarget t, String who) {
        return "SIP: CallManager " + t.node() + ":" + t.port() + " presented " + who
                + ", which is not a CallManager record of the phone's trust list: nothing sent, closing";
    }

    static String registered(CallManagerTarget t, int expires) {
        return "SIP: registered to " + t.node() + " over " + t.transport() + ", expires " + expires + " s";
    }

    static String refused(CallManagerTarget t, int status, String reason) {
        return "SIP: " + t.node() + " refused the registration: " + status + " " + reason;
    }

    static String serverError(CallManagerTarget t, int status, String reason) {
        return "SIP: " + t.node() + " answered " + status + " " + reason + ": trying the next CallManager";
    }

    static String badAnswer(CallManagerTarget t, String why) {
        return "SIP: unusable answer from " + t.node() + ": " + why;
    }

    static String tlsFailed(CallManagerTarget t, String why) {
        return "SIP: TLS with " + t.node() + ":" + t.port() + " failed: " + why;
    }

    static String connectionError(CallManagerTarget t, String why) {
        return "SIP: connection to " + t.node() + ":" + t.port() + ": " + why;
    }

    static String connectFailed(CallManagerTarget t, String why) {
        return "SIP: cannot connect to " + t.node() + ":" + t.port() + ": " + why;
    }

    static String noAnswer(CallManagerTarget t, long millis) {
        return "SIP: no answer from " + t.node() + " within " + millis + " ms";
    }
}
