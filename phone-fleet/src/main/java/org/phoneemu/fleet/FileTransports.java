package org.phoneemu.fleet;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.phoneemu.tftp.boot.Transport;

/** How many files the fleet's last boots received over each transport, as the summary writes it. */
final class FileTransports {
    private FileTransports() {
    }

    /** {@code HTTPS 10, HTTP 30, TFTP 0}. */
    public static String count(List<PhoneResult> rows) {
        Map<Transport, Long> n = new EnumMap<>(Transport.class);
        for (Transport t : Transport.values()) {
            n.put(t, 0L);
        }
        rows.forEach(r -> r.report().ifPresent(b -> b.files().forEach(f -> n.merge(f.transport(), 1L, Long::sum))));
        return n.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
