/**
 * The signed-file envelope shared by {@code .tlv}, {@code .sgn} and {@code .enc.sgn} (docs/FORMATS.md §1):
 * {@link org.phoneemu.core.signedfile.SignedFileParser} (strict: every fault is a
 * {@link org.phoneemu.core.signedfile.MalformedFileException} with offset and tag) and
 * {@link org.phoneemu.core.signedfile.internal.SignedFileBuilder}. A parsed {@link org.phoneemu.core.signedfile.SignedFile}
 * keeps its original bytes, whose MD5/SHA-1 phones and CUCM display.
 */
package org.phoneemu.core.signedfile;
