package org.phoneemu.core.store;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.phoneemu.core.trustlist.TrustList;

/**
 * Installed trust lists with the same bytes, shared between the phones of one process: a fleet of thousands of
 * phones holds one parsed copy of the cluster's ITL instead of one each. Only what is installed is shared; every
 * phone still parses and verifies what it downloads. Trust lists are immutable, so sharing is safe.
 */
final class SharedTrustLists {
    private static final int CAPACITY = 64;
    private static final Map<String, TrustList> LISTS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TrustList> eldest) {
            return size() > CAPACITY;
        }
    };

    private SharedTrustLists() {
    }

    /** The shared instance equal to {@code list} (same kind, same bytes), remembering {@code list} if there is none. */
    static synchronized TrustList share(TrustList list) {
        String key = list.kind() + ":" + list.file().md5Hex();
        TrustList known = LISTS.get(key);
        if (known != null && Arrays.equals(known.file().bytes(), list.file().bytes())) {
            return known;
        }
        LISTS.put(key, list);
        return list;
    }
}
