package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.AtomicFiles;
import org.phoneemu.phone.PhoneBuilder;

/** The phone's menus on its flash: reads change nothing, erase says when there is nothing, a user's LSC stays. */
class PhoneFlashTest {
    static final Instant FAILED_AT = Instant.parse("2026-03-01T20:16:01Z");

    /** A flash as a phone leaves it, with a damaged ITL and an interrupted write that a boot would clean up. */
    static Path damagedFlash(Path dir) throws Exception {
        KeyMaterial mic = PhoneBuilder.manufacturerCertificate("CP-7970-SEP001122334455", 1024, Clock.systemUTC());
        Files.writeString(dir.resolve("mic.pem"), PemFiles.toPem(mic.privateKey(), mic.certificate()));
        Files.write(dir.resolve("ITLFile.tlv"), new byte[] {1, 2, 3, 4, 5});
        Files.writeString(dir.resolve("CTLFile.tlv" + AtomicFiles.TEMP_SUFFIX), "half");
        Files.writeString(dir.resolve("status-messages.txt"), FAILED_AT.toEpochMilli() + "\tTrust List Update Failed\n");
        return dir;
    }

    static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void statusAndTrustListAreReadsThatLeaveTheFlashByteForByte(@TempDir Path dir) throws Exception {
        damagedFlash(dir);
        Map<String, byte[]> before = snapshot(dir);

        Cli.Result status = Cli.run("phone", "status", "--state", dir.toString());
        assertThat(status.code()).as(status.err()).isZero();
        String time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault()).format(FAILED_AT);
        // The phone's format: the time of day, one space, the message (as on Settings > Status > Status Messages).
        assertThat(status.out()).contains("  " + time + " Trust List Update Failed")
                .contains("Unusable on flash (ignored): ITLFile.tlv")
                .doesNotContain("corrupt");
        Cli.Result list = Cli.run("phone", "trust-list", "--state", dir.toString());
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("ITL File: Not Installed");

        Map<String, byte[]> after = snapshot(dir);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void eraseWithNothingInstalledSaysSo(@TempDir Path dir) throws Exception {
        damagedFlash(dir);
        Files.delete(dir.resolve("ITLFile.tlv"));
        Cli.Result itl = Cli.run("phone", "erase-itl", "--state", dir.toString());
        assertThat(itl.code()).isZero();
        assertThat(itl.out().strip()).isEqualTo("no ITL file installed: nothing to erase");
        Cli.Result ctl = Cli.run("phone", "erase-ctl", "--state", dir.toString());
        assertThat(ctl.code()).isZero();
        assertThat(ctl.out().strip()).isEqualTo("no CTL file installed: nothing to erase");
    }

    @Test
    void anLscPlacedOnANewPhonesFlashSurvivesItsFirstBoot(@TempDir Path dir) throws Exception {
        KeyMaterial lsc = PhoneBuilder.manufacturerCertificate("SEP001122334455 LSC", 1024, Clock.systemUTC());
        byte[] pem = PemFiles.toPem(lsc.privateKey(), lsc.certificate()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Files.write(dir.resolve("lsc.pem"), pem);

        Cli.Result boot = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--state", dir.toString());
        assertThat(boot.code()).isEqualTo(2);
        assertThat(boot.err().lines()).hasSize(1);
        assertThat(boot.err()).contains("no answer from the TFTP server");
        assertThat(dir.resolve("mic.pem")).exists();
        assertThat(PemFile.readWithKey(dir.resolve("lsc.pem")).certificate()).isEqualTo(lsc.certificate());
    }

    @Test
    void bootLscInstallsTheUsersKeyAndKeepsIt(@TempDir Path tmp) throws Exception {
        KeyMaterial lsc = PhoneBuilder.manufacturerCertificate("SEP001122334466 LSC", 1024, Clock.systemUTC());
        Path pem = Files.writeString(tmp.resolve("my-lsc.pem"), PemFiles.toPem(lsc.privateKey(), lsc.certificate()));
        Path flash = tmp.resolve("flash");

        Cli.Result boot = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334466", "--state", flash.toString(), "--lsc", pem.toString());
        assertThat(boot.code()).isEqualTo(2);
        assertThat(PemFile.readWithKey(flash.resolve("lsc.pem")).certificate()).isEqualTo(lsc.certificate());

        Cli.Result missing = Cli.run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334466", "--lsc", tmp.resolve("none.pem").toString());
        ErrorContractTest.assertOneLine(missing, 2, tmp.resolve("none.pem") + ": no such file");
    }
}
