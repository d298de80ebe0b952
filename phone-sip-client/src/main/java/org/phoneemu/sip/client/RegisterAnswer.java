package org.phoneemu.sip.client;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.sip.codec.SipMessage;

/** Reading CallManager's final answer to a REGISTER: is it the answer to this request, what it grants, why it refuses. */
final class RegisterAnswer {
    private static final Pattern CSEQ = Pattern.compile("\\s*([0-9]{1,10})\\s+([A-Za-z]+)\\s*");
    /** Up to the Warning's opening quote; the quoted text is scanned by hand (a regex alternation recurses per character). */
    private static final Pattern WARNING_START = Pattern.compile("\\s*[0-9]{3}\\s+\\S+\\s+\"");
    /** Warning text kept in the reason: CUCM's texts are short; a longer one is cut, not carried into every console line. */
    static final int MAX_WARNING_TEXT = 200;
    private static final Pattern EXPIRES_PARAM = Pattern.compile(";\\s*expires\\s*=\\s*([0-9]{1,10})", Pattern.CASE_INSENSITIVE);

    private RegisterAnswer() {
    }

    /** Why {@code r} is not the answer to the REGISTER of {@code dialog}, or empty when it is. */
    static Optional<String> mismatch(SipMessage.Response r, CiscoRegister.Dialog dialog) {
        return mismatch(r, dialog, "REGISTER");
    }

    /** Why {@code r} is not the answer to the {@code method} request of {@code dialog}, or empty when it is. */
    static Optional<String> mismatch(SipMessage.Response r, CiscoRegister.Dialog dialog, String method) {
        if (!r.header("Call-ID").map(dialog.callId()::equals).orElse(false)) {
            return Optional.of("a response for another Call-ID: " + r.header("Call-ID").orElse("(none)"));
        }
        Matcher m = CSEQ.matcher(r.header("CSeq").orElse(""));
        if (!m.matches() || !m.group(2).equals(method) || Long.parseLong(m.group(1)) != dialog.cseq()) {
            return Optional.of("a response with CSeq '" + r.header("CSeq").orElse("") + "', not '" + dialog.cseq() + " " + method + "'");
        }
        return Optional.empty();
    }

    /**
     * The interval granted: the expires parameter of the Contact CallManager sent back, else the Expires header (RFC
     * 3261 §10.2.4: the parameter takes precedence).
     */
    static OptionalInt expires(SipMessage.Response r) {
        for (String contact : r.headers().all("Contact")) {
            Matcher m = EXPIRES_PARAM.matcher(contact);
            if (m.find()) {
                return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Long.parseLong(m.group(1))));
            }
        }
        Optional<String> header = r.header("Expires").map(String::trim);
        if (header.isPresent() && header.get().matches("[0-9]{1,10}")) {
            return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Long.parseLong(header.get())));
        }
        return OptionalInt.empty();
    }

    /** The reason phrase, with the Warning's quoted text when there is one ({@code Forbidden: "TLS authentication failure"}). */
    static String reason(SipMessage.Response r) {
        Optional<String> warning = r.header("Warning").flatMap(RegisterAnswer::warningText);
        return r.reason() + warning.map(w -> " \"" + w + "\"").orElse("");
    }

    /** The quoted text of a Warning value ({@code 399 host "text"}), backslash escapes kept as sent, cut at {@link #MAX_WARNING_TEXT}. */
    static Optional<String> warningText(String value) {
        Matcher m = WARNING_START.matcher(value);
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        int start = m.end();
        for (int i = start; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                String text = value.substring(start, i);
                return Optional.of(text.length() <= MAX_WARNING_TEXT ? text : text.substring(0, MAX_WARNING_TEXT) + "...");
            }
        }
        return Optional.empty();
    }
}
