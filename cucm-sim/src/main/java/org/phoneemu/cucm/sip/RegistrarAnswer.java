package org.phoneemu.cucm.sip;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.sip.codec.SipHeaders;
import org.phoneemu.sip.codec.SipMessage;

/**
 * The registrar's answer to a REGISTER, in one place: what {@link RegistrarHandler} writes, and what {@code predict}'s
 * offline network hands the phone's SIP client for the same decision.
 */
public final class RegistrarAnswer {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private RegistrarAnswer() {
    }

    /** The answer to {@code request} that {@code decision} makes: 200 with the Contact and its expires, or the refusal. */
    public static SipMessage.Response of(SipMessage.Request request, RegistrarRules.Decision decision, String node, Instant now,
                                         java.time.Duration expires) {
        if (decision instanceof RegistrarRules.Decision.Refuse r) {
            return of(request, r.status(), r.reason(), r.warning(), Optional.empty(), node, now);
        }
        String contact = request.header("Contact").orElse("");
        SipMessage.Response ok = of(request, 200, "OK", "", Optional.of(contact + ";expires=" + expires.toSeconds()), node, now);
        SipHeaders.Builder h = SipHeaders.builder();
        for (var field : ok.headers().fields()) {
            h.add(field.name(), field.name().equalsIgnoreCase("Expires") ? Long.toString(expires.toSeconds()) : field.value());
        }
        return new SipMessage.Response(200, "OK", h.build(), new byte[0]);
    }

    /** The 401 of a digest challenge: the refusal's fields and {@code WWW-Authenticate} (docs/SIP.md §12). */
    static SipMessage.Response unauthorized(SipMessage.Request request, org.phoneemu.core.sip.DigestChallenge challenge, String node,
                                            Instant now) {
        SipMessage.Response r = of(request, 401, "Unauthorized", "", Optional.empty(), node, now);
        java.util.List<SipHeaders.Field> fields = new java.util.ArrayList<>(r.headers().fields());
        fields.add(new SipHeaders.Field("WWW-Authenticate", challenge.headerValue()));
        return new SipMessage.Response(401, "Unauthorized", new SipHeaders(fields), new byte[0]);
    }

    /**
     * The answer to a backup's keep-alive REGISTER: {@code 200 OK}, its Contact as sent ({@code expires=0}) and
     * {@code Expires: 0}, binding nothing (guessed: no public trace shows CUCM's answer; Asterisk's usecallmanager
     * patch, written to stand in for CUCM, answers 200 and leaves the registration alone).
     */
    public static SipMessage.Response keepAlive(SipMessage.Request request, String node, Instant now) {
        SipMessage.Response ok = of(request, 200, "OK", "", request.header("Contact"), node, now);
        SipHeaders.Builder h = SipHeaders.builder();
        for (var field : ok.headers().fields()) {
            h.add(field.name(), field.name().equalsIgnoreCase("Expires") ? "0" : field.value());
        }
        return new SipMessage.Response(200, "OK", h.build(), new byte[0]);
    }

    /** A response to {@code request} with its Via, From, To (tagged), Call-ID and CSeq, as RFC 3261 §8.2.6 copies them. */
    static SipMessage.Response of(SipMessage.Request request, int status, String reason, String warning, Optional<String> contact,
                                  String node, Instant now) {
        SipHeaders.Builder h = SipHeaders.builder();
        for (String via : request.headers().all("Via")) {
            h.add("Via", via);
        }
        request.header("From").ifPresent(v -> h.add("From", v));
        request.header("To").ifPresent(v -> h.add("To", v.contains(";tag=") ? v : v + ";tag=" + Integer.toHexString(request.hashCode())));
        request.header("Call-ID").ifPresent(v -> h.add("Call-ID", v));
        request.header("CSeq").ifPresent(v -> h.add("CSeq", v));
        h.add("Date", DATE.format(now));
        contact.ifPresent(c -> h.add("Contact", c));
        if (status == 200) {
            h.add("Expires", Integer.toString(RegistrarRules.KEEP_ALIVE_SECONDS));
        }
        if (status == 405) {
            h.add("Allow", "REGISTER, REFER");
        }
        if (!warning.isEmpty()) {
            h.add("Warning", "399 " + node + " \"" + warning + "\"");
        }
        return new SipMessage.Response(status, reason, h.build(), new byte[0]);
    }
}
