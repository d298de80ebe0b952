package org.phoneemu.tac.predict;

/**
 * What one node's TVS would do for a phone's question: {@code answer} is one of "not trusted" (its TLS certificate
 * is not a TVS record of the phone's lists, so the phone hangs up), "valid", "invalid" (it does not know the
 * certificate), "no TVS" (no node with a TVS service at that address).
 */
public record TvsConsultation(String node, String answer) {
    public String describe() {
        return switch (answer) {
            case "valid" -> "TVS on " + node + " knows it";
            case "invalid" -> "TVS on " + node + " does not know it";
            case "not trusted" -> "TVS on " + node + " has a certificate the phone does not trust";
            default -> "no TVS at " + node;
        };
    }
}
