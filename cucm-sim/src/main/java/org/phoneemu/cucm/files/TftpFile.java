package org.phoneemu.cucm.files;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** One file a node's TFTP service serves: its bytes, when they were built, and what they were built from. */
public final class TftpFile {
    private final String name;
    private final byte[] bytes;
    private final Instant modified;
    private final byte[] recipe;

    /**
     * @param recipe a digest of the inputs; a rebuild with the same recipe keeps this file (and its timestamp)
     */
    public TftpFile(String name, byte[] bytes, Instant modified, byte[] recipe) {
        this.name = Objects.requireNonNull(name);
        this.bytes = bytes.clone();
        this.modified = Objects.requireNonNull(modified);
        this.recipe = recipe == null ? null : recipe.clone();
    }

    private TftpFile(TftpFile same, String name) {
        this.name = Objects.requireNonNull(name);
        this.bytes = same.bytes;
        this.modified = same.modified;
        this.recipe = null;
    }

    /** The same file served under another name, sharing its bytes (the per-device copies of the ITL and CTL). */
    public TftpFile servedAs(String otherName) {
        return new TftpFile(this, otherName);
    }

    public String name() {
        return name;
    }

    /** A copy of the file's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public Instant modified() {
        return modified;
    }

    public boolean sameRecipe(byte[] other) {
        return recipe != null && Arrays.equals(recipe, other);
    }

    public boolean sameBytes(byte[] other) {
        return Arrays.equals(bytes, other);
    }

    @Override
    public String toString() {
        return name + " (" + bytes.length + " bytes)";
    }
}
