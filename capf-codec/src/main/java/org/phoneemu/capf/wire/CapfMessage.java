package org.phoneemu.capf.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One CAPF message: opcode, session id ({@code u32}, chosen by the server and echoed by the phone) and elements
 * in wire order. The factories build what each side sends, in the element order of docs/CAPF.md §1, and refuse what
 * the wire cannot carry; the plain constructor takes any elements, so tests can build bad messages.
 */
public record CapfMessage(CapfOpcode opcode, long sessionId, List<CapfElement> elements) {
    public static final int MAGIC = 0x55;
    public static final int HEADER_LENGTH = 8;
    /** The protocol version the server announces in AUTH_REQUEST and the phone echoes. */
    public static final int PROTOCOL_VERSION = 3;

    public CapfMessage {
        if (sessionId < 0 || sessionId > 0xffffffffL) {
            throw new IllegalArgumentException("session id outside u32: " + sessionId);
        }
        elements = List.copyOf(elements);
        if (bodyLength(elements) > 0xffff) {
            throw new IllegalArgumentException("elements longer than 65535 bytes");
        }
    }

    public CapfMessage(CapfOpcode opcode, long sessionId, CapfElement... elements) {
        this(opcode, sessionId, List.of(elements));
    }

    static int bodyLength(List<CapfElement> elements) {
        int n = 0;
        for (CapfElement e : elements) {
            n += e.encodedLength();
        }
        return n;
    }

    public int bodyLength() {
        return bodyLength(elements);
    }

    // ---- factories: the server ---------------------------------------------------------------------------------

    /** First message: the protocol version and the authentication type ({@link CapfTag#AUTH_NONE} … MIC). */
    public static CapfMessage authRequest(long sessionId, int version, int authType) {
        return new CapfMessage(CapfOpcode.AUTH_REQUEST, sessionId, byteElement(CapfTag.VERSION, version),
                byteElement(CapfTag.AUTH_TYPE, authType));
    }

    /** Install/upgrade with an RSA key of {@code bits}. */
    public static CapfMessage keyGenerateRsa(long sessionId, int bits) {
        return new CapfMessage(CapfOpcode.KEY_GENERATE_REQUEST, sessionId, byteElement(CapfTag.KEY_TYPE, CapfTag.KEY_RSA),
                new CapfElement(CapfTag.KEY_SIZE, u16(bits)));
    }

    /** Install/upgrade with an EC key on {@code curve} ({@link CapfTag#CURVE_P256} …). */
    public static CapfMessage keyGenerateEc(long sessionId, int curve) {
        return new CapfMessage(CapfOpcode.KEY_GENERATE_REQUEST, sessionId, byteElement(CapfTag.KEY_TYPE, CapfTag.KEY_EC),
                byteElement(CapfTag.CURVE, curve));
    }

    public static CapfMessage storeCertificateRequest(long sessionId, byte[] lscDer) {
        return new CapfMessage(CapfOpcode.STORE_CERTIFICATE_REQUEST, sessionId,
                byteElement(CapfTag.CERTIFICATE_TYPE, CapfTag.CERTIFICATE_LSC),
                new CapfElement(CapfTag.CERTIFICATE, new CapfCertificate(CapfTag.CERTIFICATE_LSC, lscDer).encode()));
    }

    public static CapfMessage fetchCertificateRequest(long sessionId) {
        return new CapfMessage(CapfOpcode.FETCH_CERTIFICATE_REQUEST, sessionId);
    }

    public static CapfMessage deleteCertificateRequest(long sessionId) {
        return new CapfMessage(CapfOpcode.DELETE_CERTIFICATE_REQUEST, sessionId);
    }

    public static CapfMessage retryLater(long sessionId, int delaySeconds) {
        return new CapfMessage(CapfOpcode.RETRY_LATER, sessionId, new CapfElement(CapfTag.RETRY_DELAY, u16(delaySeconds)));
    }

    // ---- factories: the phone ----------------------------------------------------------------------------------

    /**
     * The phone's answer to AUTH_REQUEST: REASON 1, VERSION (echoed), DEVICE_NAME, PASSWORD (the authentication
     * string; just the NUL when there is none) and, when it authenticates by certificate, the proof.
     */
    public static CapfMessage authResponse(long sessionId, int version, String deviceName, Optional<String> password,
                                           Optional<CapfProof> proof) {
        List<CapfElement> e = new ArrayList<>();
        e.add(byteElement(CapfTag.REASON, CapfReason.SUCCESS.code()));
        e.add(byteElement(CapfTag.VERSION, version));
        e.add(new CapfElement(CapfTag.DEVICE_NAME, cString(deviceName, false)));
        e.add(new CapfElement(CapfTag.PASSWORD, cString(password.orElse(""), true)));
        proof.ifPresent(p -> {
            e.add(new CapfElement(CapfTag.CERTIFICATE, p.certificate().encode()));
            e.add(new CapfElement(CapfTag.SIGNED_DATA, p.signedData()));
            e.add(new CapfElement(CapfTag.SHA2_SIGNED_DATA, p.sha2SignedData().encode()));
        });
        return new CapfMessage(CapfOpcode.AUTH_RESPONSE, sessionId, e);
    }

    public static CapfMessage requestInProgress(long sessionId) {
        return new CapfMessage(CapfOpcode.REQUEST_IN_PROGRESS, sessionId);
    }

    public static CapfMessage keyGenerateResponse(long sessionId, byte[] subjectPublicKeyInfo) {
        return new CapfMessage(CapfOpcode.KEY_GENERATE_RESPONSE, sessionId, new CapfElement(CapfTag.PUBLIC_KEY, subjectPublicKeyInfo));
    }

    /** REASON 1 and the certificate the phone holds. */
    public static CapfMessage fetchCertificateResponse(long sessionId, CapfCertificate certificate) {
        return new CapfMessage(CapfOpcode.FETCH_CERTIFICATE_RESPONSE, sessionId, byteElement(CapfTag.REASON, CapfReason.SUCCESS.code()),
                new CapfElement(CapfTag.CERTIFICATE, certificate.encode()));
    }

    /** STORE_CERTIFICATE_RESPONSE, DELETE_CERTIFICATE_RESPONSE, FETCH_CERTIFICATE_RESPONSE (a failure) or END_SESSION. */
    public static CapfMessage withReason(CapfOpcode opcode, long sessionId, CapfReason reason) {
        return new CapfMessage(opcode, sessionId, byteElement(CapfTag.REASON, reason.code()));
    }

    public static CapfMessage endSession(long sessionId, CapfReason reason) {
        return withReason(CapfOpcode.END_SESSION, sessionId, reason);
    }

    // ---- building blocks ---------------------------------------------------------------------------------------

    private static CapfElement byteElement(int tag, int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("value outside u8: " + value);
        }
        return new CapfElement(tag, new byte[] {(byte) value});
    }

    private static byte[] u16(int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("value outside u16: " + value);
        }
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    private static byte[] cString(String s, boolean mayBeEmpty) {
        if (s.isEmpty() && !mayBeEmpty) {
            throw new IllegalArgumentException("empty string");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("not printable ASCII");
            }
        }
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[a.length + 1];
        System.arraycopy(a, 0, out, 0, a.length);
        return out;
    }

    // ---- reading (the decoder has checked the shapes of known elements) ----------------------------------------

    public Optional<CapfElement> element(int tag) {
        return elements.stream().filter(e -> e.tag() == tag).findFirst();
    }

    private OptionalInt unsigned(int tag) {
        Optional<CapfElement> e = element(tag);
        if (e.isEmpty()) {
            return OptionalInt.empty();
        }
        int n = 0;
        for (byte b : e.get().raw()) {
            n = (n << 8) | (b & 0xff);
        }
        return OptionalInt.of(n);
    }

    public OptionalInt reason() {
        return unsigned(CapfTag.REASON);
    }

    public OptionalInt version() {
        return unsigned(CapfTag.VERSION);
    }

    public OptionalInt authType() {
        return unsigned(CapfTag.AUTH_TYPE);
    }

    public OptionalInt keyType() {
        return unsigned(CapfTag.KEY_TYPE);
    }

    public OptionalInt keySize() {
        return unsigned(CapfTag.KEY_SIZE);
    }

    public OptionalInt curve() {
        return unsigned(CapfTag.CURVE);
    }

    public OptionalInt certificateType() {
        return unsigned(CapfTag.CERTIFICATE_TYPE);
    }

    /** Seconds; a 4-byte value above {@link Integer#MAX_VALUE} reads as {@link Integer#MAX_VALUE}. */
    public OptionalInt retryDelay() {
        Optional<CapfElement> e = element(CapfTag.RETRY_DELAY);
        if (e.isEmpty()) {
            return OptionalInt.empty();
        }
        long n = 0;
        for (byte b : e.get().raw()) {
            n = (n << 8) | (b & 0xff);
        }
        return OptionalInt.of((int) Math.min(n, Integer.MAX_VALUE));
    }

    public Optional<String> deviceName() {
        return element(CapfTag.DEVICE_NAME).map(e -> fromCString(e.raw()));
    }

    /** The authentication string; empty when the element is absent or holds just the NUL. */
    public Optional<String> password() {
        return element(CapfTag.PASSWORD).map(e -> fromCString(e.raw())).filter(s -> !s.isEmpty());
    }

    public Optional<byte[]> publicKey() {
        return element(CapfTag.PUBLIC_KEY).map(CapfElement::value);
    }

    /** The CERTIFICATE element, when it has the nested shape. */
    public Optional<CapfCertificate> certificate() {
        return element(CapfTag.CERTIFICATE).filter(e -> CapfCertificate.problem(e.raw()) == null)
                .map(e -> CapfCertificate.decode(e.raw()));
    }

    public Optional<byte[]> signedData() {
        return element(CapfTag.SIGNED_DATA).map(CapfElement::value);
    }

    public Optional<CapfSignature> sha2SignedData() {
        return element(CapfTag.SHA2_SIGNED_DATA).filter(e -> CapfSignature.problem(e.raw()) == null)
                .map(e -> CapfSignature.decode(e.raw()));
    }

    /** The proof of an AUTH_RESPONSE by certificate, when all three elements are there. */
    public Optional<CapfProof> proof() {
        Optional<CapfCertificate> c = certificate();
        Optional<byte[]> s = signedData();
        Optional<CapfSignature> s2 = sha2SignedData();
        return c.isPresent() && s.isPresent() && s2.isPresent() ? Optional.of(new CapfProof(c.get(), s.get(), s2.get()))
                : Optional.empty();
    }

    static String fromCString(byte[] v) {
        int n = v.length > 0 && v[v.length - 1] == 0 ? v.length - 1 : v.length;
        return new String(v, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return opcode + "[session " + sessionId + ", " + elements.size() + " elements, " + bodyLength() + " bytes]";
    }
}
