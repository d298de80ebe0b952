package org.phoneemu.tac.served;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;

/** What a cluster serves now, as audit and predict compare it with the lists a phone holds. */
class ServedClusterTest {
    static final Path TWO_NODE = Vectors.root().getParent().resolve("config/scenarios/clusters/two-node.yaml");

    @Test
    void aPhoneHoldsWhatIsServedNowWhenAnyTftpNodeServesItThat(@TempDir Path tmp) throws Exception {
        ServedCluster live;
        try (ClusterCopy c = ClusterCopy.open(TWO_NODE, tmp.resolve("state"), new VirtualClock(Instant.parse("2026-01-01T09:00:00Z")))) {
            live = c.served(List.of());
        }
        String phone = "SEP001122334455";
        InstalledLists first = InstalledLists.servedTo(live.nodes().get(0), phone);
        InstalledLists second = InstalledLists.servedTo(live.nodes().get(1), phone);
        assertThat(first).as("each node signs its own ITL").isNotEqualTo(second);
        assertThat(live.servesNow(phone, first)).isTrue();
        assertThat(live.servesNow(phone, second)).isTrue();
        assertThat(live.servesNow(phone, new InstalledLists(InstalledLists.NONE, InstalledLists.NONE))).isFalse();
    }
}
