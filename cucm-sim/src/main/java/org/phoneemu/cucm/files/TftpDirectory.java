package org.phoneemu.cucm.files;

import java.util.Collection;
import java.util.Collections;
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

    public TftpDirectory(Map<String, TftpFile> files) {
        TreeMap<String, TftpFile> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(files);
        this.files = Collections.unmodifiableMap(m);
    }

    public Optional<TftpFile> get(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** Every file, sorted by name. */
    public Collection<TftpFile> files() {
        return files.values();
    }

    public int size() {
        return files.size();
    }
}
