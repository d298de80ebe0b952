package org.phoneemu.sip.client;

import org.phoneemu.core.sip.CallManagerTarget;

/**
 * The registration's console lines. The real phone's SIP log wording is not public: these lines are this project's,
 * kept in one place so they can be replaced by the real ones when known (docs/SIP.md §6). Public for the offline
 * network of {@code predict}, which says what this client would say.
 */
public final class SipConsole {
    private SipConsole() {
    }

    public static String connecting(CallManagerTarget t) {
        return "SIP: registering to " + t.node() + ":" + t.port() + " over " + t.transport();
    }

    public static String sent(CallManagerTarget t) {
        return sent(t, "REGISTER");
    }

    public static String sent(CallManagerTarget t, String method) {
        return "SIP: " + method + " sent to " + t.node() + ":" + t.port();
    }

    public static String alarmAnswered(CallManagerTarget t, int status, String reason) {
        return "SIP: " + t.node() + " answered the DeviceTLInfo alarm: " + status + " " + reason;
    }

    public static String alarmNotDelivered(CallManagerTarget t, String why) {
        return "SIP: DeviceTLInfo alarm not delivered to " + t.node() + ": " + why;
    }

    public static String expired(CallManagerTarget t, String reason) {
        return "SIP: CallManager " + t.node() + ":" + t.port() + ": " + reason + ": nothing sent, closing";
    }

    public static String untrusted(CallManagerTarget t, String who) {
        return "SIP: CallManager " + t.node() + ":" + t.port() + " presented " + who
                + ", which is not a CallManager record of the phone's trust list: nothing sent, closing";
    }

    public static String registered(CallManagerTarget t, int expires) {
        return "SIP: registered to " + t.node() + " over " + t.transport() + ", expires " + expires + " s";
    }

    /** CallManager challenged the request and the phone answers with its configured digest user. */
    public static String challenged(CallManagerTarget t, String realm, String method, String user) {
        return "SIP: " + t.node() + " asks for digest authentication (realm \"" + realm + "\"): sending the " + method
                + " again as " + user;
    }

    /** CallManager refused the nonce, not the credentials (stale=true): the phone answers once more. */
    public static String staleNonce(CallManagerTarget t, String method) {
        return "SIP: " + t.node() + " says the nonce is stale: sending the " + method + " again with the new nonce";
    }

    public static String refused(CallManagerTarget t, int status, String reason) {
        return "SIP: " + t.node() + " refused the registration: " + status + " " + reason;
    }

    public static String serverError(CallManagerTarget t, int status, String reason) {
        return "SIP: " + t.node() + " answered " + status + " " + reason + ": trying the next CallManager";
    }

    public static String badAnswer(CallManagerTarget t, String why) {
        return "SIP: unusable answer from " + t.node() + ": " + why;
    }

    public static String tlsFailed(CallManagerTarget t, String why) {
        return "SIP: TLS with " + t.node() + ":" + t.port() + " failed: " + why;
    }

    public static String connectionError(CallManagerTarget t, String why) {
        return "SIP: connection to " + t.node() + ":" + t.port() + ": " + why;
    }

    public static String connectFailed(CallManagerTarget t, String why) {
        return "SIP: cannot connect to " + t.node() + ":" + t.port() + ": " + why;
    }

    public static String noAnswer(CallManagerTarget t, long millis) {
        return "SIP: no answer from " + t.node() + " within " + millis + " ms";
    }

    public static String sentOnOpenConnection(CallManagerTarget t, String method) {
        return "SIP: " + method + " sent to " + t.node() + ":" + t.port() + " on the open connection";
    }

    public static String keptConnectionClosed(CallManagerTarget t) {
        return "SIP: CallManager " + t.node() + ":" + t.port() + " closed the connection the phone kept open";
    }

    public static String keptConnectionUnfit(CallManagerTarget t, String why) {
        return "SIP: not sending on the connection kept open to " + t.node() + ":" + t.port() + " (" + why + "): closing it, opening a new one";
    }

    public static String keepAliveAnswered(CallManagerTarget t, int status, String reason) {
        return "SIP: backup CallManager " + t.node() + " answered the keep-alive REGISTER: " + status + " " + reason;
    }

    public static String keepAliveFailed(CallManagerTarget t, String why) {
        return "SIP: backup CallManager " + t.node() + " not kept warm: " + why;
    }

    /** The connection to the CallManager that registered the phone ended (docs/SIP.md §3; wording guessed). */
    public static String failingOver(CallManagerTarget lost, java.time.Duration after) {
        return "SIP: lost the connection to CallManager " + lost.node() + ":" + lost.port() + ", which registered the phone: "
                + (after.isZero() ? "registering again now" : "registering again in " + after.toSeconds() + " s")
                + ", the other CallManagers first";
    }

    /** No CallManager registered the phone after such a loss: the next try, later (docs/SIP.md §3; wording guessed). */
    public static String failoverFailed(CallManagerTarget lost, java.time.Duration after) {
        return "SIP: not registered since the connection to " + lost.node() + ":" + lost.port() + " was lost: trying again in "
                + after.toSeconds() + " s";
    }
}
