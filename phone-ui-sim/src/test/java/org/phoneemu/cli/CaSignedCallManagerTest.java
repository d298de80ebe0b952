package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

/**
 * A cluster whose CallManager certificate is signed by an enterprise CA (config/clusters/seed-ca-signed.yaml): its
 * {@code show itl} has the layout of the seeds' Security By Default example, and phones trust it through the story.
 */
class CaSignedCallManagerTest {
    static String cluster() {
        return Vectors.root().getParent().resolve("config/clusters/seed-ca-signed.yaml").toString();
    }

    @Test
    void showItlHasTheSeedsLayout(@TempDir Path state) {
        Cli.Result r = Cli.run("cucm", "admin", "--cluster", cluster(), "--state", state.toString(), "show", "itl");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "HeaderLength: 296 (BYTES)",
                "3 SIGNERID 2 110",
                "4 SIGNERNAME 76 CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US",
                "6 CANAME 15 CN=JASBURNS-AD",
                "4 FUNCTION 2 CCM+TFTP\n5 ISSUERNAME 15 CN=JASBURNS-AD\n6 SERIALNUMBER 10 ",
                "4 FUNCTION 2 TVS\n5 ISSUERNAME 76 CN=CUCM8-Publisher.bbbburns.lab;OU=TAC;O=Cisco;L=RTP;ST=North Carolina;C=US\n6 SERIALNUMBER 8 ");
        assertThat(r.out()).containsPattern("5 SERIALNUMBER 10 ([0-9A-F]{2}:){9}[0-9A-F]{2}\n6 CANAME 15 CN=JASBURNS-AD");

        // A regenerated CallManager certificate is signed by the same CA again.
        assertThat(Cli.run("cucm", "admin", "--cluster", cluster(), "--state", state.toString(), "set", "cert", "regen", "CallManager").code())
                .isZero();
        Cli.Result after = Cli.run("cucm", "admin", "--cluster", cluster(), "--state", state.toString(), "show", "itl");
        assertThat(after.out()).contains("6 CANAME 15 CN=JASBURNS-AD").isNotEqualTo(r.out());
    }

    @Test
    void phonesTrustTheCaSignedClusterThroughTheStory(@TempDir Path work) {
        Cli.Result r = Cli.run("lab", "--phones", "1", "--cluster", cluster(), "--work", work.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("✔ every phone trusted", "✔ every phone locked", "The story ended as expected.");
    }
}
