package org.phoneemu.capf.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One CAPF message: opcode, session id ({@code u32}, chosen by the server and echoed by the phone) and elements
 * in wire order. The factories build what each side sends and refuse what the wire cannot carry; the plain
 * constructor takes any elements, so tests can build bad messages.
 */
public record CapfMessage(CapfOpcode opcode, long sessionId, List<CapfElement> elements) {
    public static final int MAGIC = 0x55;
    public static final int HEADER_LENGTH = 8;
    /** Two bytes seen before the DER inside a certificate package; their meaning is unknown, we write them as seen. */
    private static final byte[] CERT_ENTRY_PREFIX = {0x00, 0x01};

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

    // ---- factories -------------------------------------------------------------------------------------------

    /** Server, first message: {@code acceptedMask} of {@link CapfTag#AUTH_BY_CERTIFICATE} / {@link CapfTag#AUTH_BY_STRING}. */
    public static CapfMessage authRequest(long sessionId, int acceptedMask) {
        return new CapfMessage(CapfOpcode.AUTH_REQUEST, sessionId, byteElement(CapfTag.AUTH_TYPE, acceptedMask));
    }

    /** Phone: device name, the way it authenticates, and the typed authentication string when there is one. */
    public static CapfMessage authResponse(long sessionId, String deviceName, int authType, Optional<String> authString) {
        List<CapfElement> e = new ArrayList<>();
        e.add(byteElement(CapfTag.AUTH_TYPE, authType));
        e.add(new CapfElement(CapfTag.DEVICE_NAME, cString(deviceName)));
        authString.ifPresent(s -> e.add(new CapfElement(CapfTag.AUTH_STRING, cString(s))));
        e.add(byteElement(CapfTag.REASON, CapfReason.OK.code()));
        return new CapfMessage(CapfOpcode.AUTH_RESPONSE, sessionId, e);
    }

    /** Server: generate a key. {@code ec} false = RSA of {@code size} bits; true = EC on the curve of that size. */
    public static CapfMessage keyGenRequest(long sessionId, boolean ec, int size) {
        List<CapfElement> e = new ArrayList<>();
        e.add(new CapfElement(CapfTag.KEY_SIZE, new byte[] {(byte) (size >> 8), (byte) size}));
        if (ec) {
            e.add(byteElement(CapfTag.KEY_TYPE, 1));
        }
        return new CapfMessage(CapfOpcode.KEY_GEN_REQUEST, sessionId, e);
    }

    public static CapfMessage keyGenResponse(long sessionId, byte[] subjectPublicKeyInfo) {
        return new CapfMessage(CapfOpcode.KEY_GEN_RESPONSE, sessionId, new CapfElement(CapfTag.PUBLIC_KEY, subjectPublicKeyInfo));
    }

    public static CapfMessage storeCertRequest(long sessionId, byte[] certificateDer) {
        return new CapfMessage(CapfOpcode.STORE_CERT_REQUEST, sessionId, byteElement(CapfTag.CERT_TYPE, 1),
                certificatePackage(certificateDer));
    }

    public static CapfMessage fetchRequest(long sessionId) {
        return new CapfMessage(CapfOpcode.FETCH_REQUEST, sessionId);
    }

    public static CapfMessage fetchResponse(long sessionId, byte[] certificateDer) {
        return new CapfMessage(CapfOpcode.FETCH_RESPONSE, sessionId, certificatePackage(certificateDer));
    }

    public static CapfMessage deleteRequest(long sessionId) {
        return new CapfMessage(CapfOpcode.DELETE_REQUEST, sessionId);
    }

    /** STORE_CERT_RESPONSE, DELETE_RESPONSE or END_SESSION with a reason. */
    public static CapfMessage withReason(CapfOpcode opcode, long sessionId, CapfReason reason) {
        return new CapfMessage(opcode, sessionId, byteElement(CapfTag.REASON, reason.code()));
    }

    public static CapfMessage endSession(long sessionId, CapfReason reason) {
        return withReason(CapfOpcode.END_SESSION, sessionId, reason);
    }

    private static CapfElement byteElement(int tag, int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException("value outside u8: " + value);
        }
        return new CapfElement(tag, new byte[] {(byte) value});
    }

    private static byte[] cString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("not printable ASCII: " + s);
            }
        }
        byte[] a = s.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[a.length + 1];
        System.arraycopy(a, 0, out, 0, a.length);
        return out;
    }

    private static CapfElement certificatePackage(byte[] der) {
        byte[] entry = new byte[CERT_ENTRY_PREFIX.length + der.length];
        System.arraycopy(CERT_ENTRY_PREFIX, 0, entry, 0, CERT_ENTRY_PREFIX.length);
        System.arraycopy(der, 0, entry, CERT_ENTRY_PREFIX.length, der.length);
        byte[] pkg = new byte[3 + entry.length];
        pkg[0] = 0x01;
        pkg[1] = (byte) (entry.length >> 8);
        pkg[2] = (byte) entry.length;
        System.arraycopy(entry, 0, pkg, 3, entry.length);
        return new CapfElement(CapfTag.CERTIFICATE, pkg);
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    public Optional<CapfElement> element(int tag) {
        return elements.stream().filter(e -> e.tag() == tag).findFirst();
    }

    private OptionalInt unsigned(int tag) {
        Optional<CapfElement> e = element(tag);
        if (e.isEmpty()) {
            return OptionalInt.empty();
        }
        byte[] v = e.get().raw();
        int n = 0;
        for (byte b : v) {
            n = (n << 8) | (b & 0xff);
        }
        return OptionalInt.of(n);
    }

    public OptionalInt reason() {
        return unsigned(CapfTag.REASON);
    }

    public OptionalInt authType() {
        return unsigned(CapfTag.AUTH_TYPE);
    }

    public OptionalInt keySize() {
        return unsigned(CapfTag.KEY_SIZE);
    }

    /** True when KEY_TYPE says EC; RSA when it is absent or 0. */
    public boolean ecKey() {
        return unsigned(CapfTag.KEY_TYPE).orElse(0) == 1;
    }

    public Optional<String> deviceName() {
        return element(CapfTag.DEVICE_NAME).map(e -> fromCString(e.raw()));
    }

    public Optional<String> authString() {
        return element(CapfTag.AUTH_STRING).map(e -> fromCString(e.raw()));
    }

    public Optional<byte[]> publicKey() {
        return element(CapfTag.PUBLIC_KEY).map(CapfElement::value);
    }

    /** The DER certificate of a certificate package (the first entry), when the package has the expected shape. */
    public Optional<byte[]> certificateDer() {
        Optional<CapfElement> e = element(CapfTag.CERTIFICATE);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        byte[] p = e.get().raw();
        if (p.length < 3 + CERT_ENTRY_PREFIX.length || p[0] != 0x01) {
            return Optional.empty();
        }
        int len = ((p[1] & 0xff) << 8) | (p[2] & 0xff);
        if (3 + len > p.length || len < CERT_ENTRY_PREFIX.length) {
            return Optional.empty();
        }
        byte[] der = new byte[len - CERT_ENTRY_PREFIX.length];
        System.arraycopy(p, 3 + CERT_ENTRY_PREFIX.length, der, 0, der.length);
        return Optional.of(der);
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
