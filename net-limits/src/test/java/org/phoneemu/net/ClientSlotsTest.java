package org.phoneemu.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientSlotsTest {
    @Test
    void anIpv6HostCountsAsItsSlash64() throws Exception {
        ClientSlots slots = new ClientSlots(10, 2);
        assertThat(slots.tryTake(InetAddress.getByName("2001:db8:1:2::a"))).isTrue();
        assertThat(slots.tryTake(InetAddress.getByName("2001:db8:1:2::b"))).isTrue();
        // A third address of the same /64 is the same host choosing another address: over its cap.
        assertThat(slots.tryTake(InetAddress.getByName("2001:db8:1:2:ffff::c"))).isFalse();
        assertThat(slots.tryTake(InetAddress.getByName("2001:db8:1:3::a"))).isTrue();
        slots.release(InetAddress.getByName("2001:db8:1:2::b"));
        assertThat(slots.tryTake(InetAddress.getByName("2001:db8:1:2::c"))).isTrue();
        assertThat(slots.inUse()).isEqualTo(3);
    }

    @Test
    void ipv4AddressesCountOneByOne() throws Exception {
        ClientSlots slots = new ClientSlots(10, 1);
        assertThat(slots.tryTake(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(slots.tryTake(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(slots.tryTake(InetAddress.getByName("127.0.0.2"))).isTrue();
    }
}
