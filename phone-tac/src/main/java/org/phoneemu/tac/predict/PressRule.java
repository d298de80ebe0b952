package org.phoneemu.tac.predict;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.pki.CertificateUnit;
import org.phoneemu.phone.PressResult;

/**
 * A press's outcome in a TAC engineer's words: the phone's HTTPS check has decided (its {@link PressResult} and
 * the TVS servers it asked); this only says, in one line, which certificate it was and why it was trusted or not.
 */
final class PressRule {
    private PressRule() {
    }

    static PressOutcome outcome(String phone, String installedBefore, PressResult r, List<TvsConsultation> tvs, OfflineNetwork net) {
        if (r instanceof PressResult.Shown s) {
            Optional<HttpsDecision.Source> via = Optional.of(s.via());
            return new PressOutcome(phone, installedBefore, PressVerdict.SHOWN, via, tvs, shown(server(s.url(), net), via, tvs));
        }
        if (r instanceof PressResult.HostNotFound h) {
            return new PressOutcome(phone, installedBefore, PressVerdict.REFUSED, Optional.empty(), tvs,
                    server(h.url(), net) + " is not in the installed lists nor in the TVS cache; " + refusal(tvs) + ": refused, \"Host Not Found\"");
        }
        return new PressOutcome(phone, installedBefore, PressVerdict.FAILED, Optional.empty(), tvs, ((PressResult.Failed) r).reason());
    }

    /** "the tomcat certificate of cucmpub (serial …)", the server a URL names. */
    private static String server(String url, OfflineNetwork net) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "the certificate of " + url;
        }
        Optional<Node> n = host == null ? Optional.empty() : net.httpsNode(host);
        if (n.isEmpty()) {
            return "the certificate of " + host;
        }
        X509Certificate c = n.get().certificate(CertificateUnit.TOMCAT);
        return "the tomcat certificate of " + n.get().hostname() + " (serial " + Certificates.serialDisplay(c.getSerialNumber().toByteArray()) + ")";
    }

    private static String shown(String server, Optional<HttpsDecision.Source> via, List<TvsConsultation> tvs) {
        if (via.isEmpty()) {
            return server + ": shown";
        }
        return switch (via.get()) {
            case CTL -> server + " is in the installed CTL: shown";
            case ITL -> server + " is in the installed ITL: shown";
            case TVS_CACHE -> server + " is in the phone's TVS cache (an earlier TVS answer, cached until its time-to-live ends): shown";
            case TVS -> server + " is not in the installed lists; " + tvs.stream()
                    .map(t -> t.answer().equals("valid") ? "TVS on " + t.node() + " vouched for it" : t.describe())
                    .collect(Collectors.joining(", ")) + ": shown";
        };
    }

    private static String refusal(List<TvsConsultation> tvs) {
        if (tvs.isEmpty()) {
            return "no TVS server in the phone's config";
        }
        String each = tvs.stream().map(TvsConsultation::describe).collect(Collectors.joining(", "));
        return tvs.stream().anyMatch(t -> t.answer().equals("invalid")) ? "no TVS knows the certificate: " + each
                : "no TVS the phone trusts: " + each;
    }
}
