package org.phoneemu.scenario;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.phoneemu.core.capf.CapfAuthMode;
import org.phoneemu.core.capf.LscKeySpec;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.config.CapfOperation;
import org.phoneemu.cucm.config.CapfSettings;
import org.phoneemu.phone.Phone;

/** The scenario's {@code capf} step and {@code lsc} expectation (config/scenarios/README.md). */
final class ScenarioCapf {
    private ScenarioCapf() {
    }

    /** Applies a capf step to one phone; returns the lines to print. */
    static List<String> apply(Cluster cluster, Phone phone, Map<String, Object> s) {
        List<String> said = new ArrayList<>();
        boolean admin = s.keySet().stream().anyMatch(k -> !k.equals("enter"));
        if (admin) {
            CapfSettings now = cluster.capfSettings(phone.mac()).orElseThrow(() ->
                    new IllegalArgumentException("no device " + phone.mac() + " in the cluster"));
            CapfOperation op = text(s, "operation").map(t -> CapfOperation.parse(t).orElseThrow(() ->
                    new IllegalArgumentException("capf operation '" + t + "' is not install, delete, troubleshoot or none")))
                    .orElse(now.operation());
            CapfAuthMode mode = text(s, "authMode").map(t -> CapfAuthMode.parse(t).orElseThrow(() ->
                    new IllegalArgumentException("capf authMode '" + t + "' is not nullString, authString or existingCertificate")))
                    .orElse(now.authMode());
            Optional<String> string = text(s, "authString").or(now::authString);
            LscKeySpec.Algorithm alg = text(s, "keyType").map(t -> t.equalsIgnoreCase("ec") ? LscKeySpec.Algorithm.EC : LscKeySpec.Algorithm.RSA)
                    .orElse(now.key().algorithm());
            int size = text(s, "keySize").map(Integer::parseInt).orElse(alg == now.key().algorithm() ? now.key().size()
                    : alg == LscKeySpec.Algorithm.RSA ? 2048 : 256);
            CapfSettings next = new CapfSettings(op, mode, mode == CapfAuthMode.AUTH_STRING ? string : Optional.empty(),
                    new LscKeySpec(alg, size));
            cluster.setCapfSettings(phone.mac(), next);
            said.add("   capf " + phone.name() + ": Certificate Operation " + op.text() + ", Authentication Mode " + mode.text()
                    + ", key " + next.key().describe());
        }
        text(s, "enter").ifPresent(digits -> {
            phone.enterCapfAuthString(digits);
            said.add("   capf " + phone.name() + ": authentication string entered on the phone");
        });
        return said;
    }

    private static Optional<String> text(Map<String, Object> s, String key) {
        return Optional.ofNullable(s.get(key)).map(String::valueOf);
    }

    /** {@code lsc: none | installed | RSA 2048 | EC P-256}: null when it holds. */
    static String checkLsc(Cluster cluster, Phone phone, String want) {
        Optional<KeyMaterial> lsc = phone.securityDaemon().store().identity().flatMap(PhoneIdentity::lsc);
        if (want.equals("none")) {
            return lsc.isEmpty() ? null : "the phone holds an LSC: " + lsc.get().certificate().getSubjectX500Principal().getName();
        }
        if (lsc.isEmpty()) {
            return "the phone holds no LSC";
        }
        X509Certificate cert = lsc.get().certificate();
        Optional<X509Certificate> issued = cluster.enrolledLsc(phone.mac());
        if (issued.isEmpty() || !issued.get().equals(cert)) {
            return "the phone's LSC (serial " + cert.getSerialNumber().toString(16) + ") is not the one the cluster's CAPF issued last";
        }
        if (want.equals("installed")) {
            return null;
        }
        String key = describe(cert.getPublicKey());
        return key.equalsIgnoreCase(want) ? null : "the LSC's key is " + key;
    }

    private static String describe(PublicKey k) {
        if (k instanceof RSAPublicKey r) {
            return "RSA " + r.getModulus().bitLength();
        }
        if (k instanceof ECPublicKey e) {
            return "EC P-" + e.getParams().getCurve().getField().getFieldSize();
        }
        return k.getAlgorithm();
    }
}
