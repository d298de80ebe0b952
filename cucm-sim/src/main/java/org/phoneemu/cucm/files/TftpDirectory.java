package org.phoneemu.cucm.files;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The files one node's TFTP service serves, as an immutable snapshot: a rebuild publishes a new directory and
 * transfers in progress keep the bytes they started with. Names are looked up ignoring case, as CUCM's TFTP does.
 */
public final class TftpDirectory {
    public static final TftpDirectory EMPTY = new TftpDirectory(Map.of());

    private final Map<String, TftpFile> files;
    /** The same files by {@link #key}: a lookup per request is a hash, not 15 case-insensitive compares of a 10,000-phone tree. */
    private final Map<String, TftpFile> byKey;

    public TftpDirectory(Map<String, TftpFile> files) {
        TreeMap<String, TftpFile> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(files);
        this.files = Collections.unmodifiableMap(m);
        HashMap<String, TftpFile> k = new HashMap<>(m.size() * 4 / 3 + 1);
        m.forEach((name, file) -> k.put(key(name), file));
        this.byKey = k;
    }

    public Optional<TftpFile> get(String name) {
        return Optional.ofNullable(byKey.get(key(name)));
    }

    /** Two names are one key exactly when {@link String#CASE_INSENSITIVE_ORDER} says they are equal (char by char). */
    private static String key(String name) {
        char[] c = name.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.toLowerCase(Character.toUpperCase(c[i]));
        }
        return new String(c);
    }

    /** Every file, sorted by name. */
    public Collection<TftpFile> files() {
        return files.values();
    }

    public int size() {
        return files.size();
    }
}
