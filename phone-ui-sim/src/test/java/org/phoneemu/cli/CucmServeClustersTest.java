package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

/**
 * {@code cucm serve} with a second cluster beside the first (--cluster-b): both clusters' nodes are served and printed,
 * each cluster under its name; two clusters on one node address, or with one name, are refused with exit 2.
 */
class CucmServeClustersTest {
    private static final Path REPO = Vectors.root().getParent();

    @TempDir
    Path tmp;

    @Test
    void servesClusterAAndBSideBySideAndPrintsBothClustersNodes() throws Exception {
        try (PhoneEmuProcess cucm = PhoneEmuProcess.start(tmp, Map.of(), "cucm", "serve",
                "--cluster", REPO.resolve("config/clusters/lab.yaml").toString(), "--state", tmp.resolve("a").toString(), "--fresh",
                "--cluster-b", REPO.resolve("config/clusters/lab-b.yaml").toString())) {
            assertThat(cucm.awaitLine("Serving.", 180)).as(cucm.output()).isNotNull();
            String out = cucm.output();
            assertThat(out).contains("cluster lab:", "cluster lab-b:", "  cucmpub (publisher): TFTP 127.0.0.2:",
                    "(publisher): TFTP 127.0.0.12:", "SIP-TLS 127.0.0.13:");
            assertThat(out.indexOf("cluster lab:")).isLessThan(out.indexOf("cluster lab-b:"));
            // B's state went to its own folder, beside the working directory's .phone-emu.
            assertThat(tmp.resolve(".phone-emu/cluster-lab-b")).isDirectory();
        }
    }

    @Test
    void twoClustersOnOneAddressOrWithOneNameAreRefused() {
        Cli.Result same = Cli.run("cucm", "serve", "--cluster", REPO.resolve("config/clusters/lab.yaml").toString(),
                "--state", tmp.resolve("a").toString(), "--cluster-b", REPO.resolve("config/clusters/lab.yaml").toString());
        assertThat(same.code()).as(same.out() + same.err()).isEqualTo(2);
        assertThat(same.err()).contains("two clusters are named 'lab'").doesNotContain("Exception");
    }
}
