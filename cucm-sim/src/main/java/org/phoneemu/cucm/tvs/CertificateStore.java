package org.phoneemu.cucm.tvs;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.trustlist.Role;

/**
 * TVS's certificate store: every certificate of the cluster (each node's CallManager, TVS, tomcat, tomcat-ECDSA, ITLRecovery,
 * the CAPF, the eToken) plus imported ones, with the roles TVS reports. Immutable; the cluster publishes a new
 * one whenever a certificate changes. Like CUCM's CertificateDBCache, a lookup finds the certificate by issuer +
 * serial and then compares the bytes.
 */
public final class CertificateStore {
    public static final CertificateStore EMPTY = new CertificateStore(List.of());

    /** A certificate with the roles TVS reports for it. */
    public record Entry(X509Certificate certificate, List<Integer> roles) {
        public Entry {
            roles = List.copyOf(roles);
        }
    }

    /** What a lookup found. */
    public sealed interface Lookup {
        /** Same issuer, serial and bytes: "Certificate found and equal". */
        record FoundEqual(Entry entry) implements Lookup {
        }

        /** Same issuer and serial but other bytes: "Certificate compare return =1". */
        record FoundDifferent(Entry entry) implements Lookup {
        }

        record NotFound() implements Lookup {
        }
    }

    private final List<Entry> entries;

    private CertificateStore(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    public Lookup lookup(X509Certificate presented) {
        Entry sameIdentity = null;
        byte[] der = Certificates.der(presented);
        for (Entry e : entries) {
            X509Certificate c = e.certificate();
            if (c.getSerialNumber().equals(presented.getSerialNumber())
                    && c.getIssuerX500Principal().equals(presented.getIssuerX500Principal())) {
                if (java.util.Arrays.equals(Certificates.der(c), der)) {
                    return new Lookup.FoundEqual(e);
                }
                sameIdentity = e;
            }
        }
        return sameIdentity != null ? new Lookup.FoundDifferent(sameIdentity) : new Lookup.NotFound();
    }

    /** A certificate by issuer name (either style) and serial, for QUERY requests. */
    public Optional<Entry> find(String issuer, BigInteger serial) {
        return entries.stream()
                .filter(e -> e.certificate().getSerialNumber().equals(serial)
                        && DistinguishedNames.sameName(issuer, e.certificate().getIssuerX500Principal()))
                .findFirst();
    }

    /** A certificate by subject name (either style), for QUERY requests that name only the subject. */
    public Optional<Entry> findBySubject(String subject) {
        return entries.stream().filter(e -> DistinguishedNames.sameName(subject, e.certificate().getSubjectX500Principal())).findFirst();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects certificates; the same certificate added twice keeps one entry with the union of roles. */
    public static final class Builder {
        private final Map<String, X509Certificate> certs = new LinkedHashMap<>();
        private final Map<String, Set<Integer>> roles = new LinkedHashMap<>();

        public Builder add(X509Certificate cert, Role role) {
            return add(cert, role.code());
        }

        public Builder add(X509Certificate cert, int roleCode) {
            String key = Certificates.sha1Hex(cert);
            certs.putIfAbsent(key, cert);
            roles.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(roleCode);
            return this;
        }

        public CertificateStore build() {
            List<Entry> out = new ArrayList<>();
            certs.forEach((k, c) -> out.add(new Entry(c, new ArrayList<>(roles.get(k)))));
            return new CertificateStore(out);
        }
    }
}
