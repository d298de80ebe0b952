package org.phoneemu.fleet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(URI uri, String method) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsDuringAScrapeShareItsAnswer() throws Exception {
        AtomicInteger scrapes = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> {
            int n = scrapes.incrementAndGet();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "scrape_number " + n + "\n";
        })) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            }
            while (scrapes.get() == 0) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // let the other requests arrive while the first scrape runs
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(2, TimeUnit.MINUTES);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).hasValue(MetricsServer.CONTENT_TYPE);
                assertThat(r.body()).startsWith("scrape_number ");
            }
            // Far fewer scrapes than requests (one, unless a request came after the first answer).
            assertThat(scrapes.get()).isLessThan(10);
            assertThat(send(uri, "GET").body()).isEqualTo("scrape_number " + scrapes.get() + "\n");
        }
    }

    @Test
    void onlyGetOfMetricsIsServed() throws Exception {
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> "x 1\n")) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            assertThat(send(URI.create(base + "/metrics?name[]=x"), "GET").statusCode()).isEqualTo(200);
            assertThat(send(URI.create(base + "/"), "GET").statusCode()).isEqualTo(404);
            assertThat(send(URI.create(base + "/metrics"), "POST").statusCode()).isEqualTo(405);
            assertThat(send(URI.create(base + "/metrics"), "DELETE").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aFailedScrapeIsAFiveHundredAndTheNextOneRunsAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (MetricsServer server = MetricsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("gauge failed");
            }
            return "ok 1\n";
        })) {
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
            assertThat(send(uri, "GET").statusCode()).isEqualTo(500);
            HttpResponse<String> second = send(uri, "GET");
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("ok 1\n");
        }
    }
}
