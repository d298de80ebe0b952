package org.phoneemu.cucm.capf.internal;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.phoneemu.core.capf.LscKeySpec;

/**
 * Would the CAPF server sign this public key? It must be exactly what the device's settings ask: RSA of that size
 * with an odd modulus and a small odd public exponent (3 to 2^32), or EC on that named curve (its OID, not only its
 * field size: secp256k1 and brainpoolP256r1 are 256-bit curves too) with a point on the curve.
 */
final class CapfKeyCheck {
    /** A key the server refuses, and why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super(why);
        }
    }

    private static final Map<Integer, ASN1ObjectIdentifier> CURVES = Map.of(
            256, SECObjectIdentifiers.secp256r1, 384, SECObjectIdentifiers.secp384r1, 521, SECObjectIdentifiers.secp521r1);
    private static final BigInteger MAX_EXPONENT = BigInteger.ONE.shiftLeft(32);

    private CapfKeyCheck() {
    }

    static PublicKey check(byte[] spkiDer, LscKeySpec asked) throws Refused {
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(spkiDer));
        } catch (Exception e) {
            throw new Refused("the public key is not a SubjectPublicKeyInfo");
        }
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (asked.algorithm() == LscKeySpec.Algorithm.RSA) {
            if (!PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
                throw new Refused("asked for " + asked.describe() + ", got a key of algorithm " + alg.getId());
            }
            RSAPublicKey rsa = (RSAPublicKey) parse("RSA", spkiDer);
            int bits = rsa.getModulus().bitLength();
            if (bits != asked.size()) {
                throw new Refused("asked for " + asked.describe() + ", got RSA " + bits);
            }
            if (!rsa.getModulus().testBit(0)) {
                throw new Refused("the RSA modulus is even");
            }
            BigInteger e = rsa.getPublicExponent();
            if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.compareTo(MAX_EXPONENT) > 0) {
                throw new Refused("the RSA public exponent is not an odd number from 3 to 2^32");
            }
            return rsa;
        }
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg)) {
            throw new Refused("asked for " + asked.describe() + ", got a key of algorithm " + alg.getId());
        }
        ASN1ObjectIdentifier wanted = CURVES.get(asked.size());
        if (!(spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve) || !curve.equals(wanted)) {
            throw new Refused("asked for " + asked.describe() + " (" + wanted.getId() + "), got a key on another curve"
                    + (spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier c ? " (" + c.getId() + ")" : ""));
        }
        try {
            ECNamedCurveTable.getParameterSpec(wanted.getId()).getCurve().decodePoint(spki.getPublicKeyData().getBytes());
        } catch (RuntimeException e) {
            throw new Refused("the EC point is not on " + asked.describe());
        }
        return parse("EC", spkiDer);
    }

    private static PublicKey parse(String alg, byte[] der) throws Refused {
        try {
            return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
        } catch (Exception e) {
            throw new Refused("the public key does not parse");
        }
    }
}
