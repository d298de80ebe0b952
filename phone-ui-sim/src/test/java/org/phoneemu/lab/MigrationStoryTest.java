package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.core.testing.Vectors;

/** {@code lab --story migration} through the real CLI: phones moved from lab.yaml to lab-b.yaml. */
class MigrationStoryTest {
    static Path repo() {
        return Vectors.root().getParent();
    }

    @Test
    void theMigrationStoryLocksUnpreparedPhonesAndMovesThemAfterBulkCertificateManagement(@TempDir Path work) {
        Cli.Result r = Cli.run("lab", "--story", "migration", "--phones", "2", "--cluster", repo().resolve("config/clusters/lab.yaml").toString(),
                "--cluster-b", repo().resolve("config/clusters/lab-b.yaml").toString(), "--work", work.toString());
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).containsSubsequence(
                "== S1", "✔ every phone trusted on A",
                "== S19", "errclass 8, errcode 19 (signer not in CTL)", "✔ every phone locked",
                "✔ every phone trusted on A again",
                "== S21", "admin:utils bulkcert export   [cluster B]", "Successfully imported 2 certificate(s)",
                "installed: signer vouched for by TVS 127.0.0.2", "✔ every phone trusted on B",
                "SEP001122334466  B        ITL_ONLY     CN=newpub.b.example", "The story ended as expected.");
        assertThat(r.out()).doesNotContain("✘");
        assertThat(work.resolve("sftp").resolve("consolidated-tftp.pem")).exists();

        // The story's work folder is a lab's: a second run wipes it and tells the story again.
        Cli.Result again = Cli.run("lab", "--story", "migration", "--phones", "1", "--cluster", repo().resolve("config/clusters/lab.yaml").toString(),
                "--cluster-b", repo().resolve("config/clusters/lab-b.yaml").toString(), "--work", work.toString());
        assertThat(again.err()).isEmpty();
        assertThat(again.code()).as(again.out()).isZero();
        assertThat(again.out()).contains("The story ended as expected.");
    }

    @Test
    void aClusterBOnTheLabsAddressesIsRefusedAndAnUnknownStoryToo(@TempDir Path work) throws Exception {
        Path clash = Files.writeString(work.resolve("clash.yaml"),
                Files.readString(repo().resolve("config/clusters/lab-b.yaml")).replace("127.0.0.13", "127.0.0.3"));
        Cli.Result r = Cli.run("lab", "--story", "migration", "--phones", "1", "--cluster", repo().resolve("config/clusters/lab.yaml").toString(),
                "--cluster-b", clash.toString(), "--work", work.resolve("lab").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly("phone-emu: clusters A and B both put a node on 127.0.0.3: give each cluster's "
                + "nodes their own loopback addresses (nodes[].address)");

        Cli.Result story = Cli.run("lab", "--story", "migrate", "--work", work.resolve("lab2").toString());
        assertThat(story.code()).isEqualTo(2);
        assertThat(story.err().lines()).containsExactly("phone-emu: --story takes seed or migration, not migrate");
    }
}
