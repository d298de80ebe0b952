package org.phoneemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.phoneemu.core.testing.Vectors;

/** {@code fleet --metrics-port}: the Prometheus endpoint scraped while the fleet boots, and gone when it ends. */
class FleetMetricsTest {
    private static final Path REPO = Vectors.root().getParent();
    private static final Pattern ENDPOINT = Pattern.compile("metrics: (http://127\\.0\\.0\\.1:\\d+/metrics)");

    @TempDir
    Path tmp;

    @Test
    void theEndpointAnswersPrometheusTextDuringTheRun() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // 60 phones at 15 a second: a run of about four seconds to scrape during.
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> PhoneEmu.run(new String[] {"fleet", "--sim",
                REPO.resolve("config/clusters/lab.yaml").toString(), "--phones", "60", "--rate", "15", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString(), "--progress", "0",
                "--metrics-port", "0"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        String url = null;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (url == null && System.nanoTime() < end && !run.isDone()) {
            Matcher m = ENDPOINT.matcher(out.toString());
            if (m.find()) {
                url = m.group(1);
            } else {
                Thread.sleep(20);
            }
        }
        assertThat(url).as(out + "" + err).isNotNull();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String during = null;
        while (!run.isDone()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            if (counter(r.body(), "phoneemu_fleet_boots_total{verdict=\"trusted\"}") > 0 && !run.isDone()) {
                during = r.body();
                break;
            }
            Thread.sleep(100);
        }
        assertThat(during).as("a scrape while phones were booting").isNotNull();
        assertThat(during).contains("# TYPE phoneemu_fleet_boots_total counter", "# TYPE phoneemu_fleet_latency_seconds histogram",
                "phoneemu_fleet_latency_seconds_bucket{phase=\"tftp_trust_lists\",le=", "phoneemu_fleet_latency_seconds_count{phase=\"boot\"}",
                "phoneemu_fleet_latency_seconds_bucket{phase=\"tvs\",le=", "phoneemu_fleet_latency_seconds_bucket{phase=\"https\",le=",
                "phoneemu_fleet_phones{trust_state=\"itl_only\"}", "phoneemu_fleet_round_phones{state=\"booting\"}",
                "phoneemu_fleet_tvs_cache_hits_total", "# TYPE phoneemu_fleet_tvs_waiting gauge");
        assertThat(counter(during, "phoneemu_fleet_phones{trust_state=\"itl_only\"}")).isPositive();
        assertThat(during).doesNotContain("00AB0000", "SEP", "mac=");

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(url.replace("/metrics", "/other"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);

        assertThat(run.get(120, TimeUnit.SECONDS)).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("Every phone ended trusted.");
        String after = url;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(after)).build(),
                HttpResponse.BodyHandlers.ofString())).as("the endpoint closes with the fleet").isInstanceOf(ConnectException.class);
    }

    @Test
    void withALingerTheFinalCountsCanStillBeScraped() throws Exception {
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> PhoneEmu.run(new String[] {"fleet", "--sim",
                REPO.resolve("config/clusters/lab.yaml").toString(), "--phones", "12", "--reboots", "1", "--flash", "memory",
                "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString(), "--progress", "0",
                "--metrics-port", "0", "--metrics-linger", "20"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!out.toString().contains("serving the final figures") && System.nanoTime() < end && !run.isDone()) {
            Thread.sleep(20);
        }
        assertThat(out.toString()).contains("Every phone ended trusted.", "metrics: serving the final figures for 20 s more");
        assertThat(run).isNotDone();
        Matcher m = ENDPOINT.matcher(out.toString());
        assertThat(m.find()).isTrue();
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // Two rounds of 12 phones: every boot counted, and the boot histogram holds them all.
        assertThat(counter(text, "phoneemu_fleet_boots_total{verdict=\"trusted\"}")).as(text).isEqualTo(24);
        assertThat(counter(text, "phoneemu_fleet_latency_seconds_count{phase=\"boot\"}")).as(text).isEqualTo(24);
        assertThat(counter(text, "phoneemu_fleet_round_phones{state=\"done\"}")).as(text).isEqualTo(12);
        assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aKeptRunningLabCountsTheBootsOfItsStory() throws Exception {
        try (PhoneEmuProcess lab = PhoneEmuProcess.start(tmp, java.util.Map.of(), "lab", "--phones", "2",
                "--cluster", REPO.resolve("config/clusters/lab.yaml").toString(), "--work",
                tmp.resolve("lab").toString(), "--key-pool", tmp.resolve("keys").toString(), "--keep-running", "--metrics-port", "0")) {
            String line = lab.awaitLine("metrics: ", 120);
            assertThat(line).as(lab.output()).isNotNull();
            Matcher m = ENDPOINT.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            assertThat(lab.awaitLine("Serving until Ctrl-C", 180)).as(lab.output()).isNotNull();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String text = http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString()).body();
            // The story boots both phones four times: trusted (S1), locked (S3), trusted twice (S4).
            assertThat(counter(text, "phoneemu_fleet_boots_total{verdict=\"trusted\"}")).as(text).isEqualTo(6);
            assertThat(counter(text, "phoneemu_fleet_boots_total{verdict=\"locked\"}")).as(text).isEqualTo(2);
            assertThat(counter(text, "phoneemu_fleet_phones{trust_state=\"itl_only\"}")).as(text).isEqualTo(2);
        }
    }

    @Test
    void aMetricsPortInUseIsBadInputInOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("fleet", "--sim", REPO.resolve("config/clusters/lab.yaml").toString(), "--phones", "2", "--flash", "memory",
                    "--work", tmp.resolve("work").toString(), "--key-pool", tmp.resolve("keys").toString(), "--progress", "0",
                    "--metrics-port", "" + taken.getLocalPort());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("phone-emu: --metrics-port: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .doesNotContain("\n");
        }
    }

    private static double counter(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return -1;
    }
}
