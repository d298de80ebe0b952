package org.phoneemu.core.signedfile;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest codes of header tag 8 and of the encryption hash tag 26. */
public enum DigestAlgorithm {
    SHA1(1, "SHA-1", "SHA1withRSA"),
    SHA256(2, "SHA-256", "SHA256withRSA"),
    SHA512(3, "SHA-512", "SHA512withRSA");

    private final int code;
    private final String jcaName;
    private final String rsaSignatureName;

    DigestAlgorithm(int code, String jcaName, String rsaSignatureName) {
        this.code = code;
        this.jcaName = jcaName;
        this.rsaSignatureName = rsaSignatureName;
    }

    public int code() {
        return code;
    }

    /** Name as CUCM prints it ("SHA-1"), which is also the JCA name. */
    public String displayName() {
        return jcaName;
    }

    public String rsaSignatureName() {
        return rsaSignatureName;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jcaName, e);
        }
    }

    public byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /** The algorithm with this code, or {@code null}. */
    public static DigestAlgorithm of(int code) {
        for (DigestAlgorithm d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        return null;
    }
}
