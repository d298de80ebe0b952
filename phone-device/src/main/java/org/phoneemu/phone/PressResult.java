package org.phoneemu.phone;

import java.util.List;
import org.phoneemu.core.https.HttpsDecision;
import org.phoneemu.core.tvs.TvsServerAnswer;

/**
 * What the phone's screen shows after pressing Directories or Services, as a value: where the certificate was found
 * trusted, and each TVS server asked (empty when TVS was not asked), in order.
 */
public sealed interface PressResult {
    /** The TVS servers asked about the server's certificate, in order. */
    List<TvsServerAnswer> tvs();

    /** The page was fetched; {@code via} is where the phone found the server's certificate trusted. */
    record Shown(String url, int status, String body, HttpsDecision.Source via, List<TvsServerAnswer> tvs) implements PressResult {
        public Shown {
            tvs = List.copyOf(tvs);
        }
    }

    /**
     * The certificate was refused (not in CTL/ITL, TVS would not vouch): nothing was sent, the phone shows
     * {@code reason}, "Host Not Found".
     */
    record HostNotFound(String url, String reason, List<TvsServerAnswer> tvs) implements PressResult {
        public HostNotFound {
            tvs = List.copyOf(tvs);
        }
    }

    /** No URL configured, or the connection failed. */
    record Failed(String reason, List<TvsServerAnswer> tvs) implements PressResult {
        public Failed {
            tvs = List.copyOf(tvs);
        }

        public Failed(String reason) {
            this(reason, List.of());
        }
    }
}
