package org.phoneemu.webui;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.clock.VirtualClock;
import org.phoneemu.core.testing.Vectors;
import org.phoneemu.cucm.AdminShell;
import org.phoneemu.cucm.Cluster;
import org.phoneemu.cucm.Node;
import org.phoneemu.cucm.files.TftpDirectory;
import org.phoneemu.cucm.tftp.TftpServer;
import org.phoneemu.phone.BootReport;
import org.phoneemu.phone.NettyPhoneNetwork;
import org.phoneemu.phone.Phone;
import org.phoneemu.tftp.client.TftpOptions;
import org.phoneemu.tvs.client.TvsClientOptions;
import org.phoneemu.tvs.https.HttpsOptions;
import org.phoneemu.web.BootStats;
import org.phoneemu.web.FleetView;
import org.phoneemu.web.PhoneSummary;
import org.phoneemu.web.WebOptions;
import org.phoneemu.web.WebServer;

/**
 * "Waiting on TVS": a trusted phone reboots onto an ITL signed by a new CallManager key while its TVS server accepts
 * the connection and never answers (a listening socket nobody accepts from). Until the phone's TVS deadline it is
 * waiting on TVS, and the dashboard counts it; then it ends locked and the count is back to 0.
 */
class WaitingOnTvsTest {
    @Test
    void aPhoneAskingASilentTvsIsCountedAsWaitingOnTvsUntilItsDeadline(@TempDir Path tmp) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        TvsClientOptions tvs = new TvsClientOptions(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3),
                TvsClientOptions.DEFAULTS.maxFrameLength());
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T09:00:00Z"));
        try (NettyPhoneNetwork network = new NettyPhoneNetwork(group, TftpOptions.defaults(), tvs, HttpsOptions.DEFAULTS)) {
            Path flash = tmp.resolve("flash");
            TftpDirectory regenerated;
            InetSocketAddress tvsAddress;
            try (Cluster cluster = Cluster.builder().config(Vectors.root().getParent().resolve("config/scenarios/clusters/one-node.yaml"))
                    .stateDirectory(tmp.resolve("state")).clock(clock).freshState(true).build()) {
                cluster.start().get(30, TimeUnit.SECONDS);
                Node pub = cluster.publisher();
                Phone first = Phone.builder().mac("001122334455").tftpServer(pub.tftpAddress()).flash(flash).clock(clock).network(network)
                        .micBits(1024).build();
                assertThat(first.boot().get(60, TimeUnit.SECONDS).trusted()).isTrue();
                assertThat(first.waitingOnTvs()).isFalse();
                AdminShell.Result r = new AdminShell(cluster, pub.id()).run("set cert regen CallManager");
                assertThat(r.refused()).as(r.reason()).isFalse();
                regenerated = cluster.files(pub.id());
                tvsAddress = pub.tvsAddress();
            }
            // The TVS address the phone's config names now accepts connections (the kernel's backlog) and says nothing.
            try (ServerSocket silent = new ServerSocket()) {
                silent.bind(tvsAddress, 8);
                TftpServer tftp = new TftpServer(group, new InetSocketAddress(tvsAddress.getAddress(), 0), () -> regenerated,
                        TftpServer.Options.defaults(), line -> { });
                InetSocketAddress tftpAddress = tftp.bind().get(2, TimeUnit.MINUTES);
                try {
                    Phone phone = Phone.builder().mac("001122334455").tftpServer(tftpAddress).flash(flash).clock(clock).network(network)
                            .micBits(1024).build();
                    BootStats stats = new BootStats();
                    FleetView view = FleetView.of("waiting", () -> List.of(phone), Optional::empty, stats);
                    try (WebServer web = WebServer.builder().options(WebOptions.loopback(0)).fleet(view).group(group).start()) {
                        CompletableFuture<BootReport> boot = phone.boot();
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (!phone.waitingOnTvs() && !boot.isDone() && System.nanoTime() < until) {
                            Thread.sleep(20);
                        }
                        assertThat(phone.waitingOnTvs()).as("the phone waits on the silent TVS").isTrue();
                        assertThat(PhoneSummary.of(phone, Optional.empty(), stats).waitingOnTvs()).isTrue();
                        assertThat(card(web)).isEqualTo("1");
                        BootReport report = boot.get(30, TimeUnit.SECONDS);
                        assertThat(report.locked()).as("no TVS answered: the new ITL is refused").isTrue();
                        assertThat(phone.waitingOnTvs()).isFalse();
                        assertThat(card(web)).isEqualTo("0");
                    }
                } finally {
                    tftp.close().get(2, TimeUnit.MINUTES);
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** The dashboard's "waiting on TVS" counter. */
    private static String card(WebServer web) throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.url())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        int at = body.indexOf("id=\"count-waiting-tvs\"");
        assertThat(at).as("the counter is on the page").isPositive();
        String rest = body.substring(at);
        return rest.substring(rest.indexOf('>') + 1, rest.indexOf('<'));
    }
}
