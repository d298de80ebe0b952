package org.phoneemu.cli;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.phoneemu.tls.client.Ipv4;

/**
 * CallManager names given on the command line ({@code --resolve NAME=ADDRESS}): the configurations name CallManagers
 * by FQDN (cucm-sim writes its nodes' names), and a lab has no DNS for them.
 */
final class CallManagerNames {
    private CallManagerNames() {
    }

    static Map<String, Inet4Address> parse(String option, List<String> values) {
        Map<String, Inet4Address> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            String name = eq < 0 ? "" : v.substring(0, eq).trim();
            Inet4Address address = eq < 0 ? null : Ipv4.literal(v.substring(eq + 1).trim());
            if (name.isEmpty() || address == null) {
                throw new UserError(PhoneEmu.BAD_INPUT, option + " takes NAME=IPv4-ADDRESS (e.g. cucmpub.lab.example=127.0.0.2), not '" + v + "'");
            }
            out.put(name.toLowerCase(Locale.ROOT), address);
        }
        return Map.copyOf(out);
    }

    static Function<String, Optional<Inet4Address>> lookup(Map<String, Inet4Address> names) {
        return name -> Optional.ofNullable(names.get(name.toLowerCase(Locale.ROOT)));
    }
}
