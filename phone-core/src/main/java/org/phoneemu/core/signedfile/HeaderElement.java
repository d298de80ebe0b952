package org.phoneemu.core.signedfile;

/**
 * One TLV of a signed-file header as it sits in the file, kept for the {@code show itl} table.
 * For a container, {@code length} is its declared length and {@code value} is empty; for padding both are 0.
 */
public record HeaderElement(int offset, HeaderTag tag, int length, Bytes value) {
}
