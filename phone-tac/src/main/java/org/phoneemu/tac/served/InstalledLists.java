package org.phoneemu.tac.served;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.store.TrustStore;

/**
 * A phone's ITL and CTL by MD5 ("none" when it has none): what its flash holds, or what a TFTP node serves it (its
 * ITLSEP/CTLSEP file, else the cluster-wide one, as the phone asks). A phone holds what is served now when the two
 * are equal.
 */
public record InstalledLists(String itlMd5, String ctlMd5) {
    public static final String NONE = "none";

    /** What the flash folder {@code flash} holds. */
    public static InstalledLists onFlash(Path flash) {
        return new InstalledLists(md5(flash.resolve(TrustStore.ITL)), md5(flash.resolve(TrustStore.CTL)));
    }

    /** What {@code node} serves the phone named {@code deviceName} ({@code SEP<MAC>}). */
    public static InstalledLists servedTo(NodeFiles node, String deviceName) {
        return new InstalledLists(
                node.get("ITL" + deviceName + ".tlv").or(() -> node.get("ITLFile.tlv")).map(InstalledLists::md5).orElse(NONE),
                node.get("CTL" + deviceName + ".tlv").or(() -> node.get("CTLFile.tlv")).map(InstalledLists::md5).orElse(NONE));
    }

    /** {@code ITL-MD5 / CTL-MD5}, as the reports print it. */
    public String describe() {
        return itlMd5 + " / " + ctlMd5;
    }

    private static String md5(Path p) {
        try {
            return Files.isRegularFile(p) ? md5(Files.readAllBytes(p)) : NONE;
        } catch (IOException e) {
            return "unreadable";
        }
    }

    static String md5(byte[] b) {
        return HexFormat.of().formatHex(Certificates.hash("MD5", b));
    }
}
