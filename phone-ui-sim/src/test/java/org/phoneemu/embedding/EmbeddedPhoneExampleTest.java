package org.phoneemu.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.ConfigStep;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.phone.TrustListStep;

/**
 * The example of docs/ARCHITECTURE.md ("Embedding a phone"), run: a phone embedded in another project's JUnit test,
 * through the public surface only (this package is nobody's). The server under test is played here by a cucm-sim
 * cluster on loopback; in that project it is their own TFTP server. ArchitectureDocTest checks the page shows this
 * test's body.
 */
class EmbeddedPhoneExampleTest {
    @TempDir
    Path tmp;
    private Cluster cluster;

    @BeforeEach
    void startTheServerUnderTest() throws Exception {
        cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                .stateDirectory(tmp.resolve("cluster")).freshState(true).mirrorFiles(false).build();
        cluster.start().join();
    }

    @AfterEach
    void stopIt() {
        cluster.close();
    }

    private InetSocketAddress tftpServerUnderTest() {
        return cluster.publisher().tftpAddress();
    }

    // example: begin
    @Test
    void aPhoneBootsTrustedAgainstTheServerUnderTest(@TempDir Path flash) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group)) {
            Phone phone = Phone.builder().mac("001122334455").model("8845").tftpServer(tftpServerUnderTest())
                    .flash(flash).network(network).build();

            BootReport boot = phone.boot().get(60, TimeUnit.SECONDS);

            assertThat(boot.trusted()).as("%s", boot).isTrue();
            assertThat(boot.trustList(TrustListKind.ITL)).containsInstanceOf(TrustListStep.Installed.class);
            assertThat(boot.config()).containsInstanceOf(ConfigStep.Applied.class);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
    // example: end
}
