package org.phoneemu.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.cli.Cli;
import org.phoneemu.cli.PhoneEmu;

/** {@code fleet --web}: the dashboard lists the fleet's phones and serves each phone's page while the fleet runs. */
class FleetDashboardTest {
    private static final Path REPO = org.phoneemu.core.testing.Vectors.root().getParent();
    private static final Pattern URL = Pattern.compile("Dashboard: (http://\\S+?)/?(\\s|$)");

    @TempDir
    Path tmp;

    @Test
    void theDashboardListsEveryPhoneOfTheFleetWithItsVerdict() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread fleet = new Thread(() -> code.set(PhoneEmu.run(new String[] {"fleet", "--sim",
                REPO.resolve("config/clusters/lab.yaml").toString(), "--phones", "12", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("pool").toString(),
                "--web", "0", "--keep-running"}, new PrintWriter(out, true), new PrintWriter(err, true))), "fleet-under-test");
        fleet.setDaemon(true);
        fleet.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!out.toString().contains("Serving the dashboard") && fleet.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(out.toString()).as("stderr: %s", err).contains("Every phone ended trusted.").contains("Serving the dashboard");
            Matcher m = URL.matcher(out.toString());
            assertThat(m.find()).as(out.toString()).isTrue();
            String base = m.group(1);
            HttpClient http = HttpClient.newHttpClient();
            String dashboard = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(dashboard).contains("fleet: 12 phones against --sim");
            for (int i = 0; i < 12; i++) {
                assertThat(dashboard).contains(String.format("SEP00AB%08X", i));
            }
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/phones/SEP00AB00000005/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("00AB00000005").contains("Trust List Updated");
        } finally {
            fleet.interrupt(); // ends --keep-running; the command closes its cluster and event loops
            fleet.join(Duration.ofSeconds(30).toMillis());
        }
    }

    @Test
    void keepRunningWithoutWebIsBadInput() {
        Cli.Result r = Cli.run("fleet", "--tftp", "127.0.0.1:9", "--phones", "1", "--keep-running");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("phone-emu: --keep-running needs --web PORT");
    }
}
