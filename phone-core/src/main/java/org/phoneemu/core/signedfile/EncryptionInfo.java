package org.phoneemu.core.signedfile;

/**
 * The encryption fields of an {@code .enc.sgn} header (docs/FORMATS.md §3, tags 16–27).
 *
 * @param iv the AES-CBC IV (tag 19)
 * @param padCount number of {@code 0x0D} bytes appended to the plaintext before encryption (tag 20)
 * @param wrappedKeyBits size in bits of the wrapped key (tag 23), i.e. the phone key's modulus size
 * @param cipher tag 24, 1 = AES-128
 * @param wrappedKey the AES key wrapped with RSA PKCS#1 v1.5 to the phone's certificate (tag 25)
 * @param plaintextHashAlgorithm tag 26
 * @param plaintextHash tag 27, hash of the plaintext XML
 */
public record EncryptionInfo(
        int ivAlgorithm,
        Bytes iv,
        int padCount,
        int keyAlgorithm,
        int wrappedKeyBits,
        int cipher,
        Bytes wrappedKey,
        DigestAlgorithm plaintextHashAlgorithm,
        Bytes plaintextHash) {
    public static final int CIPHER_AES_128 = 1;
}
