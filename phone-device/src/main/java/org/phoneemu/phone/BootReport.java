package org.phoneemu.phone;

import java.util.List;
import java.util.Optional;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustState;

/**
 * How a boot ended: the phone's trust state, what it holds, and whether it is "trusted" (installed the
 * cluster's ITL and applied a verified config this boot) or "locked" (Trust List Update Failed). The decisions of the
 * boot are values: {@code trustLists} (each list offered, in order: CTL then ITL) and {@code config} (the last config
 * decision); the console lines say the same in the phone's words and are never read back.
 */
public record BootReport(
        String mac,
        TrustState trustState,
        Optional<String> itlSigner,
        Optional<String> itlMd5,
        Optional<String> ctlMd5,
        boolean trustListUpdateFailed,
        boolean configApplied,
        Optional<String> configSource,
        Optional<String> lastStatus,
        Optional<String> error,
        List<TrustListStep> trustLists,
        Optional<ConfigStep> config,
        List<Fetched> files,
        Optional<RegistrationStep> registration) {

    /**
     * A file this boot received, what it came over, and the attempts over other transports that failed before
     * (docs/PROTOCOLS.md §4: HTTPS 6971 refused, then HTTP 6970).
     */
    public record Fetched(String name, org.phoneemu.tftp.boot.Transport transport,
                          List<org.phoneemu.tftp.boot.BootDownloader.FailedAttempt> fellBack) {
        public Fetched {
            fellBack = List.copyOf(fellBack);
        }

        /** A file received at the first transport tried. */
        public Fetched(String name, org.phoneemu.tftp.boot.Transport transport) {
            this(name, transport, List.of());
        }

        /** What a download delivered, with the attempts that failed before it. */
        static Fetched of(org.phoneemu.tftp.boot.BootDownloader.Download d) {
            return new Fetched(d.name(), d.transport(), d.fellBack());
        }
    }

    public BootReport {
        trustLists = List.copyOf(trustLists);
        files = List.copyOf(files);
        java.util.Objects.requireNonNull(registration, "registration");
    }

    /** A report of a boot that did not register (registration off). */
    public BootReport(String mac, TrustState trustState, Optional<String> itlSigner, Optional<String> itlMd5, Optional<String> ctlMd5,
                      boolean trustListUpdateFailed, boolean configApplied, Optional<String> configSource, Optional<String> lastStatus,
                      Optional<String> error, List<TrustListStep> trustLists, Optional<ConfigStep> config, List<Fetched> files) {
        this(mac, trustState, itlSigner, itlMd5, ctlMd5, trustListUpdateFailed, configApplied, configSource, lastStatus, error,
                trustLists, config, files, Optional.empty());
    }

    /** A report without the transports of its files. */
    public BootReport(String mac, TrustState trustState, Optional<String> itlSigner, Optional<String> itlMd5, Optional<String> ctlMd5,
                      boolean trustListUpdateFailed, boolean configApplied, Optional<String> configSource, Optional<String> lastStatus,
                      Optional<String> error, List<TrustListStep> trustLists, Optional<ConfigStep> config) {
        this(mac, trustState, itlSigner, itlMd5, ctlMd5, trustListUpdateFailed, configApplied, configSource, lastStatus, error,
                trustLists, config, List.of());
    }

    /** What the file {@code name} came over this boot, if it was received. */
    public Optional<org.phoneemu.tftp.boot.Transport> transportOf(String name) {
        return files.stream().filter(f -> f.name().equals(name)).map(Fetched::transport).reduce((a, b) -> b);
    }

    /** A report without the boot's steps (a boot that did not run). */
    public BootReport(String mac, TrustState trustState, Optional<String> itlSigner, Optional<String> itlMd5, Optional<String> ctlMd5,
                      boolean trustListUpdateFailed, boolean configApplied, Optional<String> configSource, Optional<String> lastStatus,
                      Optional<String> error) {
        this(mac, trustState, itlSigner, itlMd5, ctlMd5, trustListUpdateFailed, configApplied, configSource, lastStatus, error,
                List.of(), Optional.empty());
    }

    /** Trusted: no trust-list failure this boot and a config applied. */
    public boolean trusted() {
        return !trustListUpdateFailed && configApplied && error.isEmpty();
    }

    /** Registered to a CallManager at the end of this boot (false when the boot did not register). */
    public boolean registered() {
        return registration.map(RegistrationStep::registered).orElse(false);
    }

    public boolean locked() {
        return trustListUpdateFailed;
    }

    public String verdict() {
        if (error.isPresent()) {
            return "error";
        }
        return trusted() ? "trusted" : locked() ? "locked" : "config refused";
    }

    /** This boot's decision on the list of {@code kind}, if one was offered. */
    public Optional<TrustListStep> trustList(TrustListKind kind) {
        return trustLists.stream().filter(s -> s.kind() == kind).reduce((a, b) -> b);
    }

    /** The trust-list step that consulted TVS, if any (the last one). */
    public Optional<TrustListStep> askedTvs() {
        return trustLists.stream().filter(s -> s.tvs().isPresent()).reduce((a, b) -> b);
    }
}
