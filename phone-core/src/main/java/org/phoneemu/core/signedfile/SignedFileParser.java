package org.phoneemu.core.signedfile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Strict parser of the signed-file envelope (docs/FORMATS.md §1). Every length is checked against the header
 * end and the file end before anything is read or allocated; any fault is a {@link MalformedFileException}
 * naming the offset and the tag.
 */
final class SignedFileParser {
    private static final int MAX_CONTAINER_DEPTH = 4;

    private SignedFileParser() {
    }

    public static SignedFile parse(byte[] raw) throws MalformedFileException {
        byte[] data = raw.clone();
        FormatVersion version = version(data);
        int headerLength = headerLength(data);

        List<HeaderElement> elements = new ArrayList<>();
        elements.add(new HeaderElement(0, HeaderTag.VERSION, 2, Bytes.copyOf(data, 3, 2)));
        elements.add(new HeaderElement(5, HeaderTag.HEADER_LENGTH, 2, Bytes.copyOf(data, 8, 2)));
        Map<HeaderTag, HeaderElement> seen = new EnumMap<>(HeaderTag.class);
        seen.put(HeaderTag.VERSION, elements.get(0));
        seen.put(HeaderTag.HEADER_LENGTH, elements.get(1));
        Deque<int[]> open = new ArrayDeque<>(); // {end, tag} of each open container

        int pos = 10;
        while (pos < headerLength) {
            while (!open.isEmpty() && open.peek()[0] == pos) {
                open.pop();
            }
            HeaderElement element = element(data, pos, headerLength, open, seen);
            elements.add(element);
            if (element.tag() == HeaderTag.PADDING) {
                pos++;
                continue;
            }
            seen.put(element.tag(), element);
            // A container's elements follow its own tag and length; any other element is skipped whole.
            pos = element.tag().isContainer() ? pos + 3 : pos + 3 + element.length();
        }
        return build(data, elements, seen, version, headerLength);
    }

    /** The VERSION tag's value, after checking the file starts with the VERSION and HEADER LENGTH tags. */
    private static FormatVersion version(byte[] data) throws MalformedFileException {
        if (data.length < 10) {
            throw new MalformedFileException(data.length, -1,
                    "file is " + data.length + " bytes, shorter than the 10-byte VERSION and HEADER LENGTH");
        }
        expectFixed(data, 0, HeaderTag.VERSION);
        expectFixed(data, 5, HeaderTag.HEADER_LENGTH);
        FormatVersion version = new FormatVersion(data[3] & 0xff, data[4] & 0xff);
        if (version.major() != 1 && version.major() != 2) {
            throw new MalformedFileException(3, 1, "unsupported version " + version);
        }
        return version;
    }

    private static int headerLength(byte[] data) throws MalformedFileException {
        int headerLength = u16(data, 8);
        if (headerLength < 10) {
            throw new MalformedFileException(8, 2, "header length " + headerLength + " is shorter than the first two tags");
        }
        if (headerLength > data.length) {
            throw new MalformedFileException(8, 2,
                    "header length " + headerLength + " runs past the end of the file (" + data.length + " bytes)");
        }
        return headerLength;
    }

    /**
     * The element at {@code pos}, its length checked against the header end and the open containers; a container is
     * pushed on {@code open}.
     */
    private static HeaderElement element(byte[] data, int pos, int headerLength, Deque<int[]> open, Map<HeaderTag, HeaderElement> seen)
            throws MalformedFileException {
        int code = data[pos] & 0xff;
        HeaderTag tag = HeaderTag.of(code);
        if (tag == null) {
            throw new MalformedFileException(pos, code, "unknown header tag " + code);
        }
        if (tag == HeaderTag.PADDING) {
            return new HeaderElement(pos, tag, 0, Bytes.EMPTY);
        }
        if (pos + 3 > headerLength) {
            throw new MalformedFileException(pos, code, "tag " + tag.label() + " has no room for its length before the header end (" + headerLength + ")");
        }
        int length = u16(data, pos + 1);
        int end = pos + 3 + length;
        if (end > headerLength) {
            throw new MalformedFileException(pos, code,
                    "length " + length + " of " + tag.label() + " runs past the header end (" + headerLength + ")");
        }
        if (!open.isEmpty() && end > open.peek()[0]) {
            throw new MalformedFileException(pos, code,
                    tag.label() + " crosses the end of container tag " + open.peek()[1]);
        }
        if (seen.containsKey(tag)) {
            throw new MalformedFileException(pos, code, "duplicate tag " + tag.label());
        }
        if (tag.kind() == HeaderTag.Kind.FIXED && length != tag.fixedLength()) {
            throw new MalformedFileException(pos, code,
                    tag.label() + " must be " + tag.fixedLength() + " bytes, not " + length);
        }
        if (!tag.isContainer()) {
            return new HeaderElement(pos, tag, length, Bytes.copyOf(data, pos + 3, length));
        }
        if (open.size() == MAX_CONTAINER_DEPTH) {
            throw new MalformedFileException(pos, code, "containers nested too deep");
        }
        open.push(new int[] {end, code});
        return new HeaderElement(pos, tag, length, Bytes.EMPTY);
    }

    private static SignedFile build(byte[] data, List<HeaderElement> elements, Map<HeaderTag, HeaderElement> seen,
                                    FormatVersion version, int headerLength) throws MalformedFileException {
        HeaderElement signatureElement = require(seen, HeaderTag.SIGNATURE, headerLength);
        HeaderElement hash = require(seen, HeaderTag.HASH_ALGORITHM, headerLength);
        HeaderElement algorithm = require(seen, HeaderTag.SIGNATURE_ALGORITHM, headerLength);
        HeaderElement modulus = require(seen, HeaderTag.SIGNATURE_MODULUS, headerLength);
        HeaderElement issuer = require(seen, HeaderTag.ISSUER_NAME, headerLength);
        HeaderElement serial = require(seen, HeaderTag.SERIAL_NUMBER, headerLength);
        HeaderElement name = seen.get(HeaderTag.SIGNER_NAME);

        DigestAlgorithm digest = DigestAlgorithm.of(hash.value().get(0));
        if (digest == null) {
            throw new MalformedFileException(hash.offset(), hash.tag().code(), "unknown hash algorithm " + hash.value().get(0));
        }
        if (algorithm.value().get(0) != 0) {
            throw new MalformedFileException(algorithm.offset(), algorithm.tag().code(),
                    "unsupported signature algorithm " + algorithm.value().get(0) + " (only 0 = RSA)");
        }
        int modulusIndex = modulus.value().get(0);
        if (modulusIndex >= SignedFile.MODULUS_SIZES.length) {
            throw new MalformedFileException(modulus.offset(), modulus.tag().code(), "signature modulus index " + modulusIndex + " out of range 0..3");
        }
        int expected = SignedFile.MODULUS_SIZES[modulusIndex];
        if (signatureElement.length() != expected) {
            throw new MalformedFileException(signatureElement.offset(), signatureElement.tag().code(),
                    "signature is " + signatureElement.length() + " bytes but the modulus tag says " + expected);
        }
        if (serial.length() == 0) {
            throw new MalformedFileException(serial.offset(), serial.tag().code(), "empty signer serial number");
        }
        SignerId signer = new SignerId(name == null ? "" : name.value().asCString(), issuer.value().asCString(), serial.value());

        HeaderElement filename = seen.get(HeaderTag.FILENAME);
        HeaderElement timestamp = seen.get(HeaderTag.TIMESTAMP);
        HeaderElement signerVersion = seen.get(HeaderTag.SIGNER_VERSION);
        return new SignedFile(data, elements, version, headerLength, signer, digest, 0, signatureElement.offset(),
                signatureElement.value(),
                filename == null ? null : filename.value().asCString(),
                timestamp == null ? null : timestamp.value().asUnsigned(),
                signerVersion == null ? null : new FormatVersion(signerVersion.value().get(0), signerVersion.value().get(1)),
                encryption(seen, headerLength));
    }

    private static EncryptionInfo encryption(Map<HeaderTag, HeaderElement> seen, int headerLength) throws MalformedFileException {
        boolean any = false;
        for (HeaderTag t : seen.keySet()) {
            if (t.code() >= 16 && t.code() <= 27) {
                any = true;
                break;
            }
        }
        if (!any) {
            return null;
        }
        HeaderElement hashAlgorithm = require(seen, HeaderTag.PLAINTEXT_HASH_ALGORITHM, headerLength);
        DigestAlgorithm digest = DigestAlgorithm.of(hashAlgorithm.value().get(0));
        if (digest == null) {
            throw new MalformedFileException(hashAlgorithm.offset(), hashAlgorithm.tag().code(),
                    "unknown plaintext hash algorithm " + hashAlgorithm.value().get(0));
        }
        HeaderElement wrappedKey = require(seen, HeaderTag.WRAPPED_KEY, headerLength);
        if (wrappedKey.length() == 0) {
            throw new MalformedFileException(wrappedKey.offset(), wrappedKey.tag().code(), "empty wrapped key");
        }
        HeaderElement ivAlgorithm = seen.get(HeaderTag.IV_ALGORITHM);
        HeaderElement keyAlgorithm = seen.get(HeaderTag.KEY_ALGORITHM);
        HeaderElement bits = seen.get(HeaderTag.WRAPPED_KEY_BITS);
        return new EncryptionInfo(
                ivAlgorithm == null ? 0 : ivAlgorithm.value().get(0),
                require(seen, HeaderTag.IV, headerLength).value(),
                (int) require(seen, HeaderTag.PAD_COUNT, headerLength).value().asUnsigned(),
                keyAlgorithm == null ? 0 : keyAlgorithm.value().get(0),
                bits == null ? wrappedKey.length() * 8 : (int) bits.value().asUnsigned(),
                require(seen, HeaderTag.CIPHER, headerLength).value().get(0),
                wrappedKey.value(),
                digest,
                require(seen, HeaderTag.PLAINTEXT_HASH, headerLength).value());
    }

    private static HeaderElement require(Map<HeaderTag, HeaderElement> seen, HeaderTag tag, int headerLength)
            throws MalformedFileException {
        HeaderElement e = seen.get(tag);
        if (e == null) {
            throw new MalformedFileException(headerLength, tag.code(), "header has no " + tag.label() + " (tag " + tag.code() + ")");
        }
        return e;
    }

    private static void expectFixed(byte[] data, int pos, HeaderTag tag) throws MalformedFileException {
        int code = data[pos] & 0xff;
        if (code != tag.code()) {
            throw new MalformedFileException(pos, code, "expected " + tag.label() + " (tag " + tag.code() + ") here, found tag " + code);
        }
        int length = u16(data, pos + 1);
        if (length != tag.fixedLength()) {
            throw new MalformedFileException(pos, code, tag.label() + " must be " + tag.fixedLength() + " bytes, not " + length);
        }
    }

    static int u16(byte[] data, int pos) {
        return ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    }
}
