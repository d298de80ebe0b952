package org.phoneemu.core.trustlist;

import org.phoneemu.core.signedfile.Bytes;

/** One TLV of a record as it sits in the file (offset from the start of the file), for the dump. */
public record RecordField(int offset, int tag, Bytes value) {
    public int length() {
        return value.length();
    }
}
