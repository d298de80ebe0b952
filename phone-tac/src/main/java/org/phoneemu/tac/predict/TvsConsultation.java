package org.phoneemu.tac.predict;

/**
 * What one node's TVS would do for a phone's question: {@code answer} is one of "not trusted" (its TLS certificate
 * is not a TVS record of the phone's lists, so the phone hangs up), "valid", "invalid" (it does not know the
 * certificate), "no TVS" (no node with a TVS service at that address).
 */
public record TvsConsultation(String node, String answer) {
    /** What one TVS server did, as the phone's report says it, named by its node's host name when a node has that address. */
    static TvsConsultation of(org.phoneemu.core.tvs.TvsServerAnswer a, OfflineNetwork net) {
        String answer = switch (a.reply()) {
            case VALID -> "valid";
            case INVALID -> "invalid";
            case NOT_TRUSTED -> "not trusted";
            case NO_ANSWER -> "no TVS";
        };
        String node = a.reply() == org.phoneemu.core.tvs.TvsServerAnswer.Reply.NO_ANSWER ? a.host()
                : net.node(a.host()).map(org.phoneemu.cucm.Node::hostname).orElse(a.host());
        return new TvsConsultation(node, answer);
    }

    public String describe() {
        return switch (answer) {
            case "valid" -> "TVS on " + node + " knows it";
            case "invalid" -> "TVS on " + node + " does not know it";
            case "not trusted" -> "TVS on " + node + " has a certificate the phone does not trust";
            default -> "no TVS at " + node;
        };
    }
}
