package org.phoneemu.fleet.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.phoneemu.fleet.Device;
import org.phoneemu.fleet.DeviceList;

class ShardTest {
    @Test
    void theShardsOfAFleetInIndexOrderAreExactlyTheFleet() {
        for (int phones : new int[] {1, 7, 40, 1000, 1001}) {
            List<Device> fleet = DeviceList.generated("00CC00000000", phones, "7970");
            for (int count : new int[] {1, 2, 3, 4, 7, 64}) {
                List<Device> union = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                int largest = 0;
                int smallest = Integer.MAX_VALUE;
                for (int i = 0; i < count; i++) {
                    List<Device> part = new Shard(i, count).slice(fleet);
                    part.forEach(d -> assertThat(seen.add(d.mac())).as("disjoint").isTrue());
                    union.addAll(part);
                    largest = Math.max(largest, part.size());
                    smallest = Math.min(smallest, part.size());
                }
                assertThat(union).as(phones + " phones in " + count + " shards").isEqualTo(fleet);
                assertThat(largest - smallest).as("balanced").isLessThanOrEqualTo(1);
            }
        }
    }

    @Test
    void aShardIsTheSameBlockEveryTimeAndForEveryProcess() {
        List<Device> a = DeviceList.generated("00AB00000000", 40, "7970");
        List<Device> b = DeviceList.generated("00AB00000000", 40, "7970");
        assertThat(new Shard(2, 4).slice(a)).isEqualTo(new Shard(2, 4).slice(b));
        assertThat(new Shard(2, 4).slice(a)).extracting(Device::mac).containsExactly("00AB00000014", "00AB00000015", "00AB00000016",
                "00AB00000017", "00AB00000018", "00AB00000019", "00AB0000001A", "00AB0000001B", "00AB0000001C", "00AB0000001D");
    }

    @Test
    void moreShardsThanPhonesLeavesSomeShardsEmpty() {
        List<Device> fleet = DeviceList.generated("00AB00000000", 2, "7970");
        assertThat(new Shard(0, 3).slice(fleet)).isEmpty();
        assertThat(new Shard(1, 3).slice(fleet)).hasSize(1);
        assertThat(new Shard(2, 3).slice(fleet)).hasSize(1);
    }

    @Test
    void anIndexOutsideTheCountIsRefused() {
        assertThatThrownBy(() -> new Shard(4, 4)).hasMessage("the shard index must be between 0 and 3, not 4");
        assertThatThrownBy(() -> new Shard(-1, 4)).hasMessageContaining("not -1");
        assertThatThrownBy(() -> new Shard(0, 0)).hasMessageContaining("the shard count must be between 1 and");
    }
}
