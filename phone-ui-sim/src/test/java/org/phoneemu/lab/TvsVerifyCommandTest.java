package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.pki.CertificateUnit;

/** {@code ./phone-emu tvs-verify} against the simulated cluster's TVS over TLS. */
class TvsVerifyCommandTest {
    @Test
    void verdictsOfTheClustersTvs(@TempDir Path tmp) throws Exception {
        Path clusterFile = Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml");
        try (Cluster cluster = Cluster.builder().config(clusterFile).stateDirectory(tmp.resolve("state"))
                .clock(Clock.systemUTC()).freshState(true).mirrorFiles(false).build()) {
            cluster.start().join();
            Node pub = cluster.publisher();
            Path itl = Files.write(tmp.resolve("ITLFile.tlv"), cluster.file(pub.id(), "ITLFile.tlv").orElseThrow());
            Path callManager = Files.writeString(tmp.resolve("cm.pem"), PemFiles.toPem(pub.certificate(CertificateUnit.CALLMANAGER)));
            Path tvsCert = Files.writeString(tmp.resolve("tvs.pem"), PemFiles.toPem(pub.certificate(CertificateUnit.TVS)));
            String tvs = pub.tvsAddress().getAddress().getHostAddress() + ":" + pub.tvsAddress().getPort();

            org.phoneemu.cli.Cli.Result known = LabAndBootCommandsTest.run("tvs-verify", "--tvs", tvs, "--trust", itl.toString(),
                    callManager.toString());
            assertThat(known.code()).as(known.out() + known.err()).isZero();
            assertThat(known.out()).contains("Status", "Roles", "TTL", "86400");

            Path rogue = Vectors.interop("certs/rogue.pem");
            org.phoneemu.cli.Cli.Result unknown = LabAndBootCommandsTest.run("tvs-verify", "--tvs", tvs, "--tvs-cert", tvsCert.toString(),
                    rogue.toString());
            assertThat(unknown.code()).as(unknown.out() + unknown.err()).isEqualTo(1);

            // A TVS whose certificate the trust list does not list is never asked: an error, not a verdict.
            org.phoneemu.cli.Cli.Result untrusted = LabAndBootCommandsTest.run("tvs-verify", "--tvs", tvs,
                    "--trust", Vectors.interop("itl/ITLFile.tlv").toString(), callManager.toString());
            assertThat(untrusted.code()).isEqualTo(2);
            assertThat(LabAndBootCommandsTest.run("tvs-verify", "--tvs", tvs, callManager.toString()).code()).isEqualTo(2);
        }
    }
}
