package org.phoneemu.core.dump;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.signedfile.Bytes;
import org.phoneemu.core.signedfile.DigestAlgorithm;
import org.phoneemu.core.signedfile.HeaderElement;
import org.phoneemu.core.signedfile.HeaderTag;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.RecordField;
import org.phoneemu.core.trustlist.internal.RecordTag;
import org.phoneemu.core.trustlist.Role;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustRecord;

/**
 * Prints a signed file the way CUCM's {@code show itl} prints an ITL (seed {@code 000}): checksums, length,
 * the BYTEPOS/TAG/LENGTH/VALUE table of the header, one table per record, and the verification verdict.
 * The same printer serves {@code ./phone-emu dump} and the simulated cluster's {@code show itl}.
 */
public final class ShowItlPrinter {
    private static final DateTimeFormatter MODIFIED =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.ENGLISH);

    private ShowItlPrinter() {
    }

    /** {@code show itl} for a trust list; {@code lastModified} prints CUCM's "last modified" line when known. */
    public static String print(TrustList list, Optional<Instant> lastModified, ZoneId zone) {
        String kind = list.kind().name();
        StringBuilder out = new StringBuilder();
        preamble(out, list.file(), kind, lastModified, zone);
        String signerRecordTag = list.signerRecord().map(r -> "#" + r.index()).orElse("");
        for (TrustRecord r : list.records()) {
            out.append('\n').append(kind).append(" Record #:").append(r.index()).append('\n');
            out.append("----\n");
            out.append("BYTEPOS TAG LENGTH VALUE\n");
            out.append("------- --- ------ -----\n");
            for (RecordField f : r.fields()) {
                recordLine(out, f);
            }
            if (r.hasRole(Role.SAST)) {
                boolean signer = ("#" + r.index()).equals(signerRecordTag);
                out.append(signer ? "This etoken was used to sign the " : "This etoken was not used to sign the ")
                        .append(kind).append(" file.\n");
            }
        }
        out.append('\n');
        out.append(list.verifiesItself()
                ? "The " + kind + " file was verified successfully.\n"
                : "Verification of the " + kind + " file failed.\n");
        return out.toString();
    }

    /** The same layout for a {@code .sgn} or {@code .enc.sgn}: header table, then the body size. */
    public static String printSignedFile(SignedFile file, String displayName, Optional<Instant> lastModified, ZoneId zone) {
        StringBuilder out = new StringBuilder();
        preamble(out, file, displayName, lastModified, zone);
        out.append('\n');
        out.append("Body: ").append(file.bodyLength()).append(" bytes")
                .append(file.encryption().isPresent() ? " (AES-128-CBC ciphertext)" : "").append('\n');
        return out.toString();
    }

    private static void preamble(StringBuilder out, SignedFile file, String kind, Optional<Instant> lastModified, ZoneId zone) {
        out.append("The checksum value of the ").append(kind).append(" file:\n");
        out.append(file.md5Hex()).append("(MD5)\n");
        out.append(file.sha1Hex()).append("(SHA1)\n\n\n");
        out.append("Length of ").append(kind).append(" file: ").append(file.length()).append('\n');
        lastModified.ifPresent(t -> out.append("The ").append(kind).append(" File was last modified on ")
                .append(MODIFIED.format(t.atZone(zone))).append('\n'));
        out.append('\n');
        out.append("Parse ").append(kind).append(" File\n");
        out.append("----------------\n\n");
        out.append("Version: ").append(file.version()).append('\n');
        out.append("HeaderLength: ").append(file.headerLength()).append(" (BYTES)\n\n");
        out.append("BYTEPOS TAG LENGTH VALUE\n");
        out.append("------- --- ------ -----\n");
        for (HeaderElement e : file.header()) {
            headerLine(out, e);
        }
    }

    private static void headerLine(StringBuilder out, HeaderElement e) {
        HeaderTag tag = e.tag();
        if (tag == HeaderTag.VERSION || tag == HeaderTag.HEADER_LENGTH || tag == HeaderTag.PADDING) {
            return;
        }
        out.append(tag.code()).append(' ').append(tag.label()).append(' ');
        if (tag.isContainer()) {
            out.append("2 ").append(e.length()).append('\n');
            return;
        }
        out.append(e.length());
        Bytes v = e.value();
        switch (tag) {
            case SIGNER_NAME, ISSUER_NAME -> out.append(' ').append(v.asCString());
            case SERIAL_NUMBER -> out.append(' ').append(Certificates.serialDisplay(v.toArray()));
            case SIGNATURE -> {
                out.append('\n');
                signatureBytes(out, v);
                return;
            }
            case SIGNER_VERSION -> out.append(' ').append(v.get(0)).append('.').append(v.get(1));
            case IV, WRAPPED_KEY, PLAINTEXT_HASH -> out.append(' ').append(spacedHex(v));
            case PAD_COUNT, WRAPPED_KEY_BITS, CIPHER, IV_ALGORITHM, KEY_ALGORITHM -> out.append(' ').append(v.asUnsigned());
            case PLAINTEXT_HASH_ALGORITHM -> out.append(' ').append(digestName(v.get(0)));
            default -> {
                // CUCM prints FILENAME, TIMESTAMP and the one-byte algorithm codes by length only.
            }
        }
        out.append('\n');
    }

    // CUCM prints signature bytes eight to a line, lower-case hex without leading zeros.
    private static void signatureBytes(StringBuilder out, Bytes v) {
        for (int i = 0; i < v.length(); i++) {
            out.append(Integer.toHexString(v.get(i)));
            out.append((i % 8 == 7 || i == v.length() - 1) ? '\n' : ' ');
        }
    }

    private static void recordLine(StringBuilder out, RecordField f) {
        out.append(f.tag()).append(' ').append(RecordTag.label(f.tag())).append(' ').append(f.length());
        Bytes v = f.value();
        RecordTag tag = RecordTag.of(f.tag());
        if (tag == null) {
            out.append(v.isEmpty() ? "" : " " + spacedHex(v)).append('\n');
            return;
        }
        switch (tag) {
            case RECORD_LENGTH -> out.append(' ').append(v.asUnsigned());
            case DNS_NAME, SUBJECT_NAME, ISSUER_NAME -> {
                String s = v.asCString();
                if (!s.isEmpty()) {
                    out.append(' ').append(s);
                }
            }
            case FUNCTION -> out.append(' ').append(Role.displayName((int) v.asUnsigned()));
            case SERIAL_NUMBER -> out.append(' ').append(Certificates.serialDisplay(v.toArray()));
            case CERTIFICATE -> out.append(' ').append(spacedHex(Bytes.copyOf(DigestAlgorithm.SHA1.digest(v.toArray()))))
                    .append("\n(SHA1 Hash HEX)");
            case CERT_HASH, IP_ADDRESS -> out.append(' ').append(spacedHex(v));
            case HASH_ALGORITHM -> out.append(' ').append(digestName(v.get(0)));
            default -> {
                // PUBLICKEY and SIGNATURE: CUCM prints the length only.
            }
        }
        out.append('\n');
    }

    private static String digestName(int code) {
        DigestAlgorithm d = DigestAlgorithm.of(code);
        return d == null ? Integer.toString(code) : d.displayName();
    }

    private static String spacedHex(Bytes v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02X", v.get(i)));
        }
        return sb.toString();
    }
}
