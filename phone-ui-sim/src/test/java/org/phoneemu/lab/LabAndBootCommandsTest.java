package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.testing.Vectors;

/** The product's main job through the real CLI entry point. */
class LabAndBootCommandsTest {
    static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    static Path repo() {
        return Vectors.root().getParent();
    }

    @Test
    void labWalksTheSeedStoryToItsExpectedEnd(@TempDir Path work) {
        Cli.Result r = run("lab", "--cluster", repo().resolve("config/clusters/lab.yaml").toString(), "--work", work.toString());
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).containsSubsequence(
                "== S1", "✔ every phone trusted",
                "admin:set cert regen CallManager", "Successfully Regenerated Certificate for CallManager.",
                "admin:set cert regen TVS", "Please re-try regnerating TVS certificate at a later time",
                "Successfully Regenerated Certificate for TVS.",
                "EROR:validate_file_envelope", "✔ every phone locked",
                "admin:utils itl reset localkey", "✔ every phone trusted, ITL signed by ITLRECOVERY",
                "✔ every phone trusted, ITL signed by the new CallManager key",
                "PHONE", "The story ended as expected.");
        assertThat(r.out()).contains("TFTP: [", "Requesting ITLSEP", "SECD: validate_file_envelope: File sign verify SUCCESS");
        // lab.yaml's subscriber runs no TVS: the banner says so instead of naming a port where nothing listens.
        assertThat(r.out().lines().filter(l -> l.contains("(subscriber)")).findFirst().orElseThrow()).contains(", TVS -, ");
    }

    @Test
    void phoneMenusWorkOnAStateDirectoryLeftByTheLab(@TempDir Path work) throws Exception {
        Cli.Result lab = run("lab", "--phones", "2", "--cluster", repo().resolve("config/clusters/lab.yaml").toString(), "--work", work.toString());
        assertThat(lab.code()).isZero();
        Path flash = work.resolve("phones").resolve("SEP001122334455");
        Cli.Result tl = run("phone", "trust-list", "--state", flash.toString());
        assertThat(tl.code()).isZero();
        assertThat(tl.out()).contains("CTL File: Not Installed", "ITL File: ", "System Administrator Security Token", "TVS");
        // The SHA-1 beside the MD5, as show itl and the phones' DeviceTLInfo report give it.
        try (var files = java.nio.file.Files.list(flash)) {
            Path itl = files.filter(f -> f.getFileName().toString().startsWith("ITL") && f.getFileName().toString().endsWith(".tlv"))
                    .findFirst().orElseThrow();
            assertThat(tl.out()).contains("  SHA1: " + org.phoneemu.core.signedfile.SignedFile.parse(java.nio.file.Files.readAllBytes(itl)).sha1Hex());
        }
        Cli.Result status = run("phone", "status", "--state", flash.toString());
        assertThat(status.out()).contains("Trust List Updated", "Trust List Update Failed");
        // The second device of the lab has settingsAccess 0: erase refused, factory reset works.
        Path locked = work.resolve("phones").resolve("SEP001122334466");
        Cli.Result refused = run("phone", "erase-itl", "--state", locked.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("settingsAccess");
        assertThat(run("phone", "erase-itl", "--state", flash.toString()).code()).isZero();
        assertThat(run("phone", "trust-list", "--state", flash.toString()).out()).contains("ITL File: Not Installed");
        assertThat(run("phone", "factory-reset", "--state", locked.toString()).code()).isZero();
        assertThat(run("phone", "status", "--state", locked.toString()).out()).contains("no CTL, no ITL");
        assertThat(run("phone", "status", "--state", work.resolve("nope").toString()).code()).isEqualTo(2);
    }

    @Test
    void onAClusterWhoseSubscriberStillVouchesTheStoryExpectsTrustedPhones(@TempDir Path work) throws Exception {
        // config/clusters/default.yaml: the phones' group has both nodes, so after the publisher's regenerations the
        // subscriber's TVS vouches for the new CallManager key, as on a real multi-node cluster.
        String yaml = Files.readString(repo().resolve("config/clusters/default.yaml"))
                .replace("ports: {tftp: 6969, tvs: 2445, https: 8443}", "ports: {tftp: 0, tvs: 0, https: 0}");
        Path cluster = Files.writeString(work.resolve("default-ephemeral.yaml"), yaml);
        Cli.Result r = run("lab", "--phones", "1", "--cluster", cluster.toString(), "--work", work.resolve("lab").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsSubsequence("== S3", "the phones' group has another TVS, which still vouches for the new key",
                "✔ every phone trusted: another node's TVS vouched for the new CallManager key",
                "✔ every phone trusted, ITL signed by ITLRECOVERY", "The story ended as expected.");
        assertThat(r.out()).doesNotContain("✘");
    }

    @Test
    void aClusterTheStoryCannotBeToldOnIsRefusedWithTheReason(@TempDir Path work) throws Exception {
        String yaml = Files.readString(repo().resolve("config/clusters/lab.yaml"))
                .replaceFirst("(- hostname: cucmpub[^\\n]*\\n)", "$1    tftp: false\n");
        Path cluster = Files.writeString(work.resolve("no-tftp.yaml"), yaml);
        Cli.Result r = run("lab", "--cluster", cluster.toString(), "--work", work.resolve("lab").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("phone-emu: the lab's story regenerates the publisher's certificates and needs "
                + "the phones to download from it, but the publisher cucmpub does not run TFTP in this cluster file");
    }

    @Test
    void theDefaultClusterFileIsFoundInPhoneEmusOwnFolderFromAnotherFolder(@TempDir Path state) {
        // The tests run in phone-ui-sim/, which has no config/: the default must come from phone-emu's own folder.
        assertThat(Path.of("config/clusters/default.yaml")).doesNotExist();
        Cli.Result r = run("cucm", "admin", "--state", state.toString(), "show", "itl");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Parse ITL File", "CN=cucmpub.lab.example");
    }

    @Test
    void bootReportsAnUnreachableServerAsAnError(@TempDir Path flash) {
        Cli.Result r = run("boot", "--tftp", "127.0.0.1:9", "--mac", "001122334455", "--state", flash.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("Timed Out : ");
        assertThat(run("boot", "--tftp", "127.0.0.1:9", "--mac", "xyz").code()).isEqualTo(2);
        assertThat(Files.exists(flash.resolve("mic.pem"))).isTrue();
    }
}
