package org.phoneemu.tvs.frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One TVS message (docs/TVS.md §1): a 10-byte header, then TLV elements in the order they were sent. Immutable.
 * The factories build well-formed frames; the constructor accepts any element so tests can build bad ones, and
 * {@link TvsFrameDecoder} is where the wire rules are enforced.
 */
public final class TvsFrame {
    public static final int PROTOCOL_ID = 0x57;
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 10;
    public static final int MAX_ELEMENTS_LENGTH = 0xffff;
    public static final long MAX_SESSION_ID = 0xffff_ffffL;
    /** STATUS value for a valid certificate; anything else is invalid. */
    public static final int STATUS_VALID = 0;
    /** The STATUS this project's servers send for an unknown certificate or an unsupported query. */
    public static final int STATUS_INVALID = 1;
    /** Leading byte of a DEVICE NAME element. */
    public static final int DEVICE_NAME_PREFIX = 0x01;

    private final TvsCommand command;
    private final int reserved;
    private final long sessionId;
    private final List<TvsElement> elements;
    private final int elementsLength;

    public TvsFrame(TvsCommand command, int reserved, long sessionId, List<TvsElement> elements) {
        this.command = Objects.requireNonNull(command, "command");
        if (reserved < 0 || reserved > 0xff) {
            throw new IllegalArgumentException("reserved byte out of range: " + reserved);
        }
        checkSessionId(sessionId);
        this.reserved = reserved;
        this.sessionId = sessionId;
        this.elements = List.copyOf(elements);
        int total = 0;
        for (TvsElement e : this.elements) {
            total += e.encodedLength();
        }
        if (total > MAX_ELEMENTS_LENGTH) {
            throw new IllegalArgumentException("elements take " + total + " bytes, the u16 length allows " + MAX_ELEMENTS_LENGTH);
        }
        this.elementsLength = total;
    }

    public TvsFrame(TvsCommand command, long sessionId, List<TvsElement> elements) {
        this(command, 0, sessionId, elements);
    }

    /** VERIFY request: DEVICE NAME, then CERTIFICATE. */
    public static TvsFrame verifyRequest(long sessionId, String deviceName, byte[] certDer) {
        return new TvsFrame(TvsCommand.VERIFY_REQUEST, sessionId,
                List.of(deviceNameElement(deviceName), new TvsElement(TvsElementType.CERTIFICATE, certDer)));
    }

    /** VERIFY response: STATUS, then ROLES when non-empty, then TTL when present. */
    public static TvsFrame verifyResponse(long sessionId, int status, List<Integer> roles, OptionalLong ttlSeconds) {
        List<TvsElement> elements = new ArrayList<>();
        elements.add(statusElement(status));
        if (!roles.isEmpty()) {
            elements.add(rolesElement(roles));
        }
        ttlSeconds.ifPresent(ttl -> elements.add(ttlElement(ttl)));
        return new TvsFrame(TvsCommand.VERIFY_RESPONSE, sessionId, elements);
    }

    /** VERIFY response "invalid": STATUS only. */
    public static TvsFrame verifyResponseInvalid(long sessionId, int status) {
        return verifyResponse(sessionId, status, List.of(), OptionalLong.empty());
    }

    /** QUERY request: DEVICE NAME, then whichever of subject, issuer and serial are given. */
    public static TvsFrame queryRequest(long sessionId, String deviceName, Optional<String> subject,
            Optional<String> issuer, Optional<byte[]> serial) {
        List<TvsElement> elements = new ArrayList<>();
        elements.add(deviceNameElement(deviceName));
        subject.ifPresent(s -> elements.add(new TvsElement(TvsElementType.SUBJECT_NAME, ascii(s, "subject"))));
        issuer.ifPresent(s -> elements.add(new TvsElement(TvsElementType.ISSUER_NAME, ascii(s, "issuer"))));
        serial.ifPresent(s -> elements.add(new TvsElement(TvsElementType.SERIAL_NUMBER, s)));
        return new TvsFrame(TvsCommand.QUERY_REQUEST, sessionId, elements);
    }

    /** QUERY response: STATUS, then the CERTIFICATE when found. */
    public static TvsFrame queryResponse(long sessionId, int status, Optional<byte[]> certDer) {
        List<TvsElement> elements = new ArrayList<>();
        elements.add(statusElement(status));
        certDer.ifPresent(der -> elements.add(new TvsElement(TvsElementType.CERTIFICATE, der)));
        return new TvsFrame(TvsCommand.QUERY_RESPONSE, sessionId, elements);
    }

    public static TvsElement deviceNameElement(String deviceName) {
        byte[] name = ascii(deviceName, "device name");
        if (name.length == 0) {
            throw new IllegalArgumentException("empty device name");
        }
        byte[] value = new byte[name.length + 1];
        value[0] = DEVICE_NAME_PREFIX;
        System.arraycopy(name, 0, value, 1, name.length);
        return new TvsElement(TvsElementType.DEVICE_NAME, value);
    }

    public static TvsElement statusElement(int status) {
        if (status < 0 || status > 0xff) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        return new TvsElement(TvsElementType.STATUS, new byte[] {(byte) status});
    }

    public static TvsElement rolesElement(List<Integer> roles) {
        byte[] value = new byte[roles.size()];
        for (int i = 0; i < value.length; i++) {
            int r = roles.get(i);
            if (r < 0 || r > 0xff) {
                throw new IllegalArgumentException("role code out of range: " + r);
            }
            value[i] = (byte) r;
        }
        return new TvsElement(TvsElementType.ROLES, value);
    }

    public static TvsElement ttlElement(long ttlSeconds) {
        if (ttlSeconds < 0 || ttlSeconds > 0xffff_ffffL) {
            throw new IllegalArgumentException("TTL out of u32 range: " + ttlSeconds);
        }
        return new TvsElement(TvsElementType.TTL, new byte[] {
            (byte) (ttlSeconds >>> 24), (byte) (ttlSeconds >>> 16), (byte) (ttlSeconds >>> 8), (byte) ttlSeconds});
    }

    static void checkSessionId(long sessionId) {
        if (sessionId < 0 || sessionId > MAX_SESSION_ID) {
            throw new IllegalArgumentException("session id out of u32 range: " + sessionId);
        }
    }

    /** Printable ASCII only: these strings go on the wire without a NUL. */
    static byte[] ascii(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(what + " must be printable ASCII: " + s);
            }
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public TvsCommand command() {
        return command;
    }

    /** Byte 3: 0 from clients; servers may send anything and receivers ignore it. */
    public int reserved() {
        return reserved;
    }

    /** The {@code u32} session id. */
    public long sessionId() {
        return sessionId;
    }

    public List<TvsElement> elements() {
        return elements;
    }

    /** The header's length field: bytes of all elements. */
    public int elementsLength() {
        return elementsLength;
    }

    public int encodedLength() {
        return HEADER_LENGTH + elementsLength;
    }

    /** The first element of this type. */
    public Optional<TvsElement> element(TvsElementType type) {
        return elements.stream().filter(e -> e.is(type)).findFirst();
    }

    /** DEVICE NAME without its leading {@code 0x01}. */
    public Optional<String> deviceName() {
        return element(TvsElementType.DEVICE_NAME)
                .filter(e -> e.valueLength() >= 1 && e.rawValue()[0] == DEVICE_NAME_PREFIX)
                .map(e -> new String(e.rawValue(), 1, e.valueLength() - 1, StandardCharsets.US_ASCII));
    }

    public Optional<byte[]> certificate() {
        return element(TvsElementType.CERTIFICATE).map(TvsElement::value);
    }

    public OptionalInt status() {
        return element(TvsElementType.STATUS).filter(e -> e.valueLength() == 1)
                .map(e -> OptionalInt.of(e.rawValue()[0] & 0xff)).orElse(OptionalInt.empty());
    }

    /** True only when a STATUS element says 0. */
    public boolean isValid() {
        return status().orElse(-1) == STATUS_VALID;
    }

    public List<Integer> roles() {
        return element(TvsElementType.ROLES).map(e -> {
            List<Integer> roles = new ArrayList<>();
            for (byte b : e.rawValue()) {
                roles.add(b & 0xff);
            }
            return List.copyOf(roles);
        }).orElse(List.of());
    }

    public OptionalLong ttlSeconds() {
        return element(TvsElementType.TTL).filter(e -> e.valueLength() == 4).map(e -> {
            byte[] v = e.rawValue();
            return OptionalLong.of(((v[0] & 0xffL) << 24) | ((v[1] & 0xffL) << 16) | ((v[2] & 0xffL) << 8) | (v[3] & 0xffL));
        }).orElse(OptionalLong.empty());
    }

    public Optional<String> subjectName() {
        return element(TvsElementType.SUBJECT_NAME).map(e -> new String(e.rawValue(), StandardCharsets.US_ASCII));
    }

    public Optional<String> issuerName() {
        return element(TvsElementType.ISSUER_NAME).map(e -> new String(e.rawValue(), StandardCharsets.US_ASCII));
    }

    public Optional<byte[]> serialNumber() {
        return element(TvsElementType.SERIAL_NUMBER).map(TvsElement::value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TvsFrame f && f.command == command && f.reserved == reserved
                && f.sessionId == sessionId && f.elements.equals(elements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, reserved, sessionId, elements);
    }

    @Override
    public String toString() {
        return "TvsFrame[" + command + ", session " + sessionId + (reserved != 0 ? ", reserved " + reserved : "")
                + ", " + elements + "]";
    }
}
