package org.phoneemu.tftp.testing;

import java.util.Random;

/** Deterministic file contents, different for each size so a mix-up between files shows. */
public final class TestFiles {
    private TestFiles() {
    }

    public static byte[] content(int size) {
        byte[] b = new byte[size];
        new Random(size * 7919L + 17).nextBytes(b);
        return b;
    }
}
