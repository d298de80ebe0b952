package org.phoneemu.tvs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/** The interop keys and trust list, and console-log assertions. */
public final class Fixtures {
    private Fixtures() {
    }

    public static KeyMaterial pem(String name) {
        try {
            return PemFile.readWithKey(Vectors.interop("certs/" + name));
        } catch (PemFiles.PemException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TrustList itl() {
        try {
            return TrustList.parse(Vectors.read(Vectors.interop("itl/ITLFile.tlv")), "ITLFile.tlv");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The phone's TVS-server check against the interop ITL: a TVS record must match. */
    public static Predicate<X509Certificate> itlTvsRecords() {
        List<TrustRecord> tvs = itl().recordsWithRole(Role.TVS);
        return c -> tvs.stream().anyMatch(r -> r.matches(c));
    }

    public static ConsoleLog log() {
        return new ConsoleLog("test-phone", Clock.systemUTC());
    }

    /** Every fragment appears in some line, in this order. */
    public static void assertInOrder(ConsoleLog log, String... fragments) {
        List<String> texts = log.lines().stream().map(l -> l.text()).toList();
        int from = 0;
        for (String f : fragments) {
            int found = -1;
            for (int i = from; i < texts.size(); i++) {
                if (texts.get(i).contains(f)) {
                    found = i;
                    break;
                }
            }
            assertThat(found).as("line containing \"%s\" after line %d in%n%s", f, from, String.join("\n", texts)).isNotNegative();
            from = found + 1;
        }
    }

    public static String dump(ConsoleLog log) {
        return String.join("\n", log.formatted());
    }
}
