package org.phoneemu.web;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustState;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.Phone;

/**
 * One row of the dashboard: what a phone holds now and how its last boot ended.
 *
 * @param lockCause for a locked phone, the status message that says why ("Trust List Update Failed"), which a later
 *                  message (a refused config file) would otherwise hide from the row
 */
public record PhoneSummary(
        String mac,
        String name,
        String model,
        TrustState trustState,
        String verdict,
        Optional<String> itlMd5,
        Optional<String> itlSigner,
        boolean itlDiffers,
        Optional<String> lastStatus,
        boolean booting,
        boolean waitingOnTvs,
        Optional<StatusMessages.Message> lockCause,
        Optional<org.phoneemu.phone.RegistrationStep> registration) {

    /** The verdict of a phone that has not finished a boot yet. */
    public static final String NOT_BOOTED = "not booted";
    /** The verdict of a phone whose last boot a TFTP server refused (counted apart from the trust verdicts). */
    public static final String SERVER_REFUSED = "server refused";

    public static PhoneSummary of(Phone phone, Optional<String> clusterItlMd5, BootStats stats) {
        InstalledTrust trust = phone.securityDaemon().trust();
        Optional<TrustList> itl = trust.itl();
        Optional<String> md5 = itl.map(l -> l.file().md5Hex().toLowerCase(Locale.ROOT));
        boolean differs = clusterItlMd5.isPresent() && !clusterItlMd5.get().equalsIgnoreCase(md5.orElse(""));
        boolean locked = phone.lastBoot().map(BootReport::locked).orElse(false);
        Optional<StatusMessages.Message> cause = Optional.empty();
        if (locked) {
            List<StatusMessages.Message> all = phone.statusMessages().all();
            for (int i = all.size() - 1; i >= 0 && cause.isEmpty(); i--) {
                if (all.get(i).text().equals(StatusMessages.TRUST_LIST_UPDATE_FAILED)) {
                    cause = Optional.of(all.get(i));
                }
            }
        }
        return new PhoneSummary(phone.mac(), phone.name(), phone.model(), trust.state(),
                stats.serverRefused(phone.mac()) ? SERVER_REFUSED : phone.lastBoot().map(BootReport::verdict).orElse(NOT_BOOTED), md5,
                itl.map(l -> l.file().signer().name()), differs,
                phone.statusMessages().last().map(m -> m.text()), stats.booting(phone.mac()), phone.waitingOnTvs(), cause,
                phone.registration());
    }

    /** A tag for the phone's registration: "registered" or "not registered"; empty while it does not register. */
    public Optional<String> registrationTag() {
        return registration.map(r -> r.registered() ? "registered" : "not registered");
    }

    /** The columns the table sorts by. */
    public enum Column {
        PHONE(Comparator.comparing(PhoneSummary::name)),
        MODEL(Comparator.comparing(PhoneSummary::model)),
        TRUST(Comparator.comparing((PhoneSummary s) -> s.trustState().description())),
        VERDICT(Comparator.comparing(PhoneSummary::verdict)),
        ITL(Comparator.comparing((PhoneSummary s) -> s.itlMd5().orElse(""))),
        STATUS(Comparator.comparing((PhoneSummary s) -> s.lastStatus().orElse("")));

        private final Comparator<PhoneSummary> order;

        Column(Comparator<PhoneSummary> order) {
            this.order = order;
        }

        public Comparator<PhoneSummary> order() {
            return order.thenComparing(PhoneSummary::name);
        }

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Column> parse(String s) {
            for (Column c : values()) {
                if (c.param().equals(s)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }
}
