package org.phoneemu.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.tftp.TftpServer;
import org.phoneemu.tftp.client.TftpClient;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tftp.client.TftpReads;
import org.phoneemu.tftp.client.TftpResult;

/**
 * {@code --max-in-flight-per-server}: many reads at once against the project's TFTP server over loopback; the reads
 * that reach the server (counted where the UDP client is called) are never more than the cap, every read still gets
 * its file, and the ones that waited are counted.
 */
class ServerSlotsTest {
    private static final byte[] FILE = new byte[200_000];

    private MultiThreadIoEventLoopGroup group;
    private TftpServer server;
    private InetSocketAddress address;
    private TftpClient client;

    @BeforeEach
    void start() throws Exception {
        Arrays.fill(FILE, (byte) 'x');
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        TftpDirectory files = new TftpDirectory(Map.of("sepdefault.cnf.xml", new TftpFile("SEPdefault.cnf.xml", FILE, Instant.EPOCH, new byte[0])));
        server = new TftpServer(group, new InetSocketAddress("127.0.0.1", 0), () -> files, TftpServer.Options.defaults(), line -> { });
        address = server.bind().get(10, TimeUnit.SECONDS);
        client = new TftpClient(group);
    }

    @AfterEach
    void stop() throws Exception {
        server.close().get(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** The most reads in flight at once at the UDP client, over {@code reads} reads started together. */
    private int peakInFlight(ServerSlots slots, int reads) throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        TftpReads counted = (server, name, options) -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return client.read(server, name, options).whenComplete((r, e) -> inFlight.decrementAndGet());
        };
        TftpReads capped = slots == null ? counted : slots.tftp(counted);
        List<CompletableFuture<TftpResult>> all = new ArrayList<>();
        for (int i = 0; i < reads; i++) {
            all.add(capped.read(address, "SEPdefault.cnf.xml", TftpOptions.defaults()));
        }
        for (CompletableFuture<TftpResult> f : all) {
            TftpResult r = f.get(60, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(TftpResult.Received.class);
            assertThat(((TftpResult.Received) r).data()).hasSize(FILE.length);
        }
        return peak.get();
    }

    @Test
    void noMoreThanTheCapReachTheServerAndNoPhoneFails() throws Exception {
        ServerSlots slots = new ServerSlots(3);
        int peak = peakInFlight(slots, 24);
        assertThat(peak).isEqualTo(3); // the cap is reached (the reads overlap) and never passed
        assertThat(slots.waited()).isEqualTo(21); // 24 started at once: 3 went, 21 waited
    }

    @Test
    void withoutTheCapTheSameReadsOverlapBeyondIt() throws Exception {
        assertThat(peakInFlight(null, 24)).isGreaterThan(3); // so the capped test can fail
    }

    @Test
    void eachServerHasItsOwnSlots() throws Exception {
        ServerSlots slots = new ServerSlots(1);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> a = slots.run(InetSocketAddress.createUnresolved("a", 69), () -> first);
        CompletableFuture<String> b = slots.run(InetSocketAddress.createUnresolved("b", 69), () -> CompletableFuture.completedFuture("b"));
        assertThat(b).isCompletedWithValue("b");
        CompletableFuture<String> second = slots.run(InetSocketAddress.createUnresolved("a", 69), () -> CompletableFuture.completedFuture("a2"));
        assertThat(second).isNotDone();
        assertThat(slots.waited()).isEqualTo(1);
        first.complete("a1");
        assertThat(a).isCompletedWithValue("a1");
        assertThat(second).isCompletedWithValue("a2");
    }

    @Test
    void aLongQueueOfRequestsThatEndAtOnceDoesNotOverflowTheStack() {
        ServerSlots slots = new ServerSlots(1);
        InetSocketAddress a = InetSocketAddress.createUnresolved("a", 69);
        CompletableFuture<String> first = new CompletableFuture<>();
        slots.run(a, () -> first);
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            queued.add(slots.run(a, () -> CompletableFuture.failedFuture(new IllegalStateException("refused at once"))));
        }
        first.complete("done");
        assertThat(queued).allMatch(CompletableFuture::isCompletedExceptionally);
        assertThat(slots.waited()).isEqualTo(100_000);
        assertThat(slots.run(a, () -> CompletableFuture.completedFuture("free"))).isCompletedWithValue("free"); // every slot given back
    }
}
