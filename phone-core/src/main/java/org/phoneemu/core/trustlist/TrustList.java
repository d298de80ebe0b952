package org.phoneemu.core.trustlist;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.phoneemu.core.signedfile.Bytes;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.trustlist.internal.RecordTag;

/** An ITL or CTL: a signed file whose body is a sequence of records (docs/FORMATS.md §2). */
public final class TrustList {
    /** Record lengths are u16 and CUCM keeps the whole file under this size; larger files are rejected. */
    public static final int MAX_SIZE = 0xffff;

    private final SignedFile file;
    private final TrustListKind kind;
    private final List<TrustRecord> records;

    private TrustList(SignedFile file, TrustListKind kind, List<TrustRecord> records) {
        this.file = file;
        this.kind = kind;
        this.records = List.copyOf(records);
    }

    /** Parses a trust list; its kind comes from its own FILENAME tag. */
    public static TrustList parse(byte[] bytes) throws MalformedFileException {
        return parse(bytes, (String) null);
    }

    /** Parses a trust list; {@code nameHint} (a path) decides the kind when the header has no FILENAME. */
    public static TrustList parse(byte[] bytes, String nameHint) throws MalformedFileException {
        if (bytes.length > MAX_SIZE) {
            throw new MalformedFileException(MAX_SIZE, -1,
                    "trust list of " + bytes.length + " bytes is over the 64 KB a trust list can hold");
        }
        SignedFile file = SignedFile.parse(bytes);
        return of(file, nameHint);
    }

    /** Parses a trust list downloaded as {@code kind}: the slot it goes to is the one it was fetched for. */
    public static TrustList parse(byte[] bytes, TrustListKind kind) throws MalformedFileException {
        TrustList list = parse(bytes, (String) null);
        return list.kind == kind ? list : new TrustList(list.file, kind, list.records);
    }

    /** Reads the records of an already parsed signed file. */
    public static TrustList of(SignedFile file, String nameHint) throws MalformedFileException {
        TrustListKind kind = TrustListKind.fromName(file.filename().orElse(nameHint));
        return new TrustList(file, kind, readRecords(file.bytes(), file.headerLength()));
    }

    private static List<TrustRecord> readRecords(byte[] data, int start) throws MalformedFileException {
        List<TrustRecord> records = new ArrayList<>();
        int pos = start;
        while (pos < data.length) {
            if (pos + 5 > data.length) {
                throw new MalformedFileException(pos, data[pos] & 0xff,
                        "record #" + (records.size() + 1) + " starts " + (data.length - pos) + " bytes before the end of the file");
            }
            if ((data[pos] & 0xff) != RecordTag.RECORD_LENGTH.code() || u16(data, pos + 1) != 2) {
                throw new MalformedFileException(pos, data[pos] & 0xff,
                        "record #" + (records.size() + 1) + " must start with RECORDLENGTH (tag 1, length 2)");
            }
            int recordLength = u16(data, pos + 3);
            if (recordLength < 5) {
                throw new MalformedFileException(pos + 3, 1, "record length " + recordLength + " is shorter than its own RECORDLENGTH");
            }
            int end = pos + recordLength;
            if (end > data.length) {
                throw new MalformedFileException(pos + 3, 1,
                        "record #" + (records.size() + 1) + " of " + recordLength + " bytes runs past the end of the file (" + data.length + " bytes)");
            }
            List<RecordField> fields = new ArrayList<>();
            fields.add(new RecordField(pos, 1, Bytes.copyOf(data, pos + 3, 2)));
            Set<Integer> seen = new HashSet<>();
            int p = pos + 5;
            while (p < end) {
                int tag = data[p] & 0xff;
                if (p + 3 > end) {
                    throw new MalformedFileException(p, tag, "field header runs past the record's declared length");
                }
                int length = u16(data, p + 1);
                if (p + 3 + length > end) {
                    throw new MalformedFileException(p, tag,
                            "field of " + length + " bytes runs past the record's declared length (" + recordLength + ")");
                }
                if (tag == RecordTag.RECORD_LENGTH.code() || !seen.add(tag)) {
                    throw new MalformedFileException(p, tag, "duplicate tag " + RecordTag.label(tag) + " in record #" + (records.size() + 1));
                }
                if (tag == RecordTag.FUNCTION.code() && length != 2) {
                    throw new MalformedFileException(p, tag, "FUNCTION must be 2 bytes, not " + length);
                }
                if (tag == RecordTag.HASH_ALGORITHM.code() && length != 1) {
                    throw new MalformedFileException(p, tag, "HASH ALGORITHM must be 1 byte, not " + length);
                }
                fields.add(new RecordField(p, tag, Bytes.copyOf(data, p + 3, length)));
                p += 3 + length;
            }
            records.add(new TrustRecord(records.size() + 1, pos, recordLength, fields));
            pos = end;
        }
        return records;
    }

    private static int u16(byte[] data, int pos) {
        return ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    }

    public SignedFile file() {
        return file;
    }

    public TrustListKind kind() {
        return kind;
    }

    public List<TrustRecord> records() {
        return records;
    }

    /** A rollback ITL: it has records and every one is blank. */
    public boolean isBlank() {
        return !records.isEmpty() && records.stream().allMatch(TrustRecord::isBlank);
    }

    public List<TrustRecord> recordsWithRole(Role role) {
        return records.stream().filter(r -> r.hasRole(role)).toList();
    }

    /**
     * The record of the file's own signer (issuer + serial of the header), preferring a SAST record, as
     * {@code show itl} marks "This etoken was used to sign the ITL file.".
     */
    public Optional<TrustRecord> signerRecord() {
        Optional<TrustRecord> sast = records.stream()
                .filter(r -> r.hasRole(Role.SAST) && r.namesSigner(file.signer())).findFirst();
        return sast.isPresent() ? sast : records.stream().filter(r -> r.namesSigner(file.signer())).findFirst();
    }

    /** Does the file's signature verify with the key of its own signer record? */
    public boolean verifiesItself() {
        return signerRecord().flatMap(TrustRecord::publicKey).map(file::verifySignature).orElse(false);
    }
}
