package org.phoneemu.capf.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a phone that authenticates by certificate adds to its AUTH_RESPONSE: the certificate (its LSC or MIC),
 * SIGNED_DATA (the SHA-1 proof) and SHA2_SIGNED_DATA (the SHA-512 proof), both over {@code device name + NUL +
 * certificate DER} (docs/CAPF.md §1).
 */
public record CapfProof(CapfCertificate certificate, byte[] signedData, CapfSignature sha2SignedData) {
    public CapfProof {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(sha2SignedData, "sha2SignedData");
        signedData = signedData.clone();
    }

    @Override
    public byte[] signedData() {
        return signedData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapfProof p && p.certificate.equals(certificate) && Arrays.equals(p.signedData, signedData)
                && p.sha2SignedData.equals(sha2SignedData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificate, Arrays.hashCode(signedData), sha2SignedData);
    }
}
