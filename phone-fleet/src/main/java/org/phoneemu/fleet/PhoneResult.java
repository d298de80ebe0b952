package org.phoneemu.fleet;

import java.util.Optional;
import org.phoneemu.phone.BootReport;

/**
 * One row of the fleet: a phone, where it is ({@link State}) and how its last boot ended. Immutable; the fleet
 * replaces a phone's row as it goes.
 */
public record PhoneResult(Device device, State state, Verdict verdict, Optional<BootReport> report, long bootMillis,
                          Optional<String> error, int boots) {
    /** Where a phone is in the current round. */
    public enum State {
        WAITING, BOOTING, DONE
    }

    static PhoneResult waiting(Device d) {
        return new PhoneResult(d, State.WAITING, Verdict.PENDING, Optional.empty(), 0, Optional.empty(), 0);
    }

    PhoneResult booting() {
        return new PhoneResult(device, State.BOOTING, verdict, report, bootMillis, error, boots);
    }

    PhoneResult waitingAgain() {
        return new PhoneResult(device, State.WAITING, verdict, report, bootMillis, error, boots);
    }

    static PhoneResult done(Device d, BootReport r, long millis, int boots) {
        return new PhoneResult(d, State.DONE, Verdict.of(r), Optional.of(r), millis, r.error(), boots);
    }

    static PhoneResult failed(Device d, String error, long millis, int boots) {
        return new PhoneResult(d, State.DONE, Verdict.ERROR, Optional.empty(), millis, Optional.of(error), boots);
    }

    /** A phone whose boot of the round a stopped run did not let finish ({@code not-booted} or {@code interrupted}). */
    static PhoneResult unfinished(Device d, Verdict v, String why, long millis, int boots) {
        return new PhoneResult(d, State.DONE, v, Optional.empty(), millis, Optional.of(why), boots);
    }

    /** The same boot, counted as {@code verdict} ({@code error} or {@code server-refused}) for {@code why}. */
    PhoneResult failedBecause(Verdict verdict, String why) {
        return new PhoneResult(device, state, verdict, report, bootMillis, Optional.of(why), boots);
    }

    /** The config file applied this boot, if any. */
    public String configFile() {
        return report.flatMap(BootReport::configSource).orElse("");
    }

    public String trustState() {
        return report.map(r -> r.trustState().name()).orElse("-");
    }

    public String itlMd5() {
        return report.flatMap(BootReport::itlMd5).orElse("");
    }

    public String itlSigner() {
        return report.flatMap(BootReport::itlSigner).orElse("");
    }

    public String lastStatus() {
        return report.flatMap(BootReport::lastStatus).orElse("");
    }

    /**
     * What the configuration of the last boot came over: {@code https6971}, {@code http6970} or {@code tftp} (the
     * last configuration file received, applied or not); empty when none was received.
     */
    public String configTransport() {
        return lastConfig().map(f -> switch (f.transport()) {
            case HTTPS -> "https6971";
            case HTTP -> "http6970";
            case TFTP -> "tftp";
        }).orElse("");
    }

    /**
     * The attempts that failed before the configuration came over {@link #configTransport()}, e.g.
     * {@code https: server certificate not trusted} (several joined with {@code "; "}); empty when none failed.
     */
    public String configFallback() {
        return lastConfig().map(f -> f.fellBack().stream().map(org.phoneemu.tftp.boot.BootDownloader.FailedAttempt::describe)
                .reduce((a, b) -> a + "; " + b).orElse("")).orElse("");
    }

    private Optional<BootReport.Fetched> lastConfig() {
        return report.flatMap(r -> r.files().stream().filter(f -> f.name().toLowerCase(java.util.Locale.ROOT).contains(".cnf.xml"))
                .reduce((a, b) -> b));
    }

    /** Whether the phone registered at the end of its last boot. */
    public Registration registration() {
        return Registration.of(report);
    }

    /** Where and over what it registered, or why it did not (empty when registration was off). */
    public String registrationDetail() {
        return Registration.detail(report);
    }
}
