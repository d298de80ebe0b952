package org.phoneemu.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may change something (the admin panel's POSTs): only this server's own page. Two rules, both required
 * (docs/WEB.md "Safe by default"):
 * <ul>
 * <li>the request's {@code Origin} is exactly {@code http://} and the {@code Host} the request was sent to: the
 *     page that sent it has the origin the browser addressed. The port is not compared with the one the server
 *     listens on, so the panel works behind a forwarded port ({@code ssh -L}, {@code kubectl port-forward},
 *     {@code docker -p}); a page of another site that renamed itself to this address (DNS rebinding) is stopped by
 *     the {@code Host} rule of {@link WebRoutes} or by the {@code --web-token}. A missing {@code Origin} (a client
 *     that is not a browser, or an old one) and {@code Origin: null} (a sandboxed frame, a redirect, a
 *     {@code file:} page) are refused: neither says the request came from this page;</li>
 * <li>the form carries this server's form token ({@value #FIELD}), random per server start and written only into
 *     the dashboard's own forms, which a page of another origin cannot read.</li>
 * </ul>
 * The {@code --web-token} says who may read; it does not make a cross-site POST safe (a browser sends its cookie
 * along), so these rules hold with it too.
 */
final class CrossSiteCheck {
    /** The form field of the form token. */
    static final String FIELD = "csrf";

    private final String formToken;

    CrossSiteCheck() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        this.formToken = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The value the dashboard writes into its admin forms. */
    String formToken() {
        return formToken;
    }

    /** Why {@code req} may not change anything; empty when it may. */
    Optional<String> refusal(WebRequest req) {
        if (req.origin().isEmpty()) {
            return Optional.of("admin request without an Origin header refused");
        }
        String origin = req.origin().get();
        if (origin.equals("null")) {
            return Optional.of("admin request from an opaque origin (Origin: null) refused");
        }
        Optional<String> host = req.host();
        if (host.isEmpty() || !origin.toLowerCase(Locale.ROOT).equals("http://" + host.get().toLowerCase(Locale.ROOT))) {
            return Optional.of("cross-origin admin request refused");
        }
        boolean tokenOk = req.formParam(FIELD)
                .map(t -> MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8), formToken.getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
        if (!tokenOk) {
            return Optional.of("admin request without this page's form token refused (reload the page)");
        }
        return Optional.empty();
    }
}
