package org.phoneemu.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.phoneemu.phone.Phone;

/**
 * What the dashboard shows: the phones, their boot counters and the MD5 of the ITL the cluster serves now (for
 * "ITL differs from the cluster's"). A lab, a fleet or a single {@code boot} implements it, usually with
 * {@link #of}.
 */
public interface FleetView {
    /** The phones, in the order to list them. */
    List<Phone> phones();

    /** The MD5 (hex) of the ITL the cluster serves now, when known. */
    Optional<String> clusterItlMd5();

    /** Boot counters and latencies. */
    BootStats bootStats();

    /** What the dashboard's title says, e.g. "lab: config/clusters/lab.yaml". */
    default String title() {
        return "phone-emu";
    }

    default Optional<Phone> phone(String mac) {
        String m = mac.toUpperCase(Locale.ROOT);
        return phones().stream().filter(p -> p.mac().equals(m)).findFirst();
    }

    /** A view of a fixed or changing list of phones. */
    static FleetView of(String title, Supplier<List<Phone>> phones, Supplier<Optional<String>> clusterItlMd5, BootStats stats) {
        return new FleetView() {
            @Override
            public List<Phone> phones() {
                return phones.get();
            }

            @Override
            public Optional<String> clusterItlMd5() {
                return clusterItlMd5.get();
            }

            @Override
            public BootStats bootStats() {
                return stats;
            }

            @Override
            public String title() {
                return title;
            }
        };
    }
}
