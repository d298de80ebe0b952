package org.phoneemu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.phoneemu.fleet.Fleet;
import org.phoneemu.fleet.metrics.FleetMetrics;
import org.phoneemu.fleet.metrics.MetricsServer;
import picocli.CommandLine.Option;

/** {@code --metrics-port}/{@code --metrics-address} of {@code fleet} and {@code lab}: live Prometheus metrics of the phones. */
final class MetricsOptions {
    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "serve live Prometheus metrics at http://ADDRESS:PORT/metrics while the phones run (0: any free port)")
    Integer port;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address of the metrics endpoint (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container)")
    String address;

    @Option(names = "--metrics-linger", paramLabel = "SECONDS", defaultValue = "0",
            description = {"keep the endpoint up this long after the run, so that a scrape sees the final counts",
                    "(default: ${DEFAULT-VALUE}; a Prometheus scrape interval, e.g. 30, in a Kubernetes Job)"})
    int lingerSeconds;

    private MetricsServer server;

    void check() {
        if (port != null && (port < 0 || port > 65535)) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--metrics-port must be between 0 and 65535");
        }
        if (lingerSeconds < 0 || lingerSeconds > 3600) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--metrics-linger must be between 0 and 3600 seconds");
        }
    }

    String describe() {
        return port == null ? "off" : address + ":" + port;
    }

    /** With --metrics-port: binds the endpoint for {@code fleet}'s phones and says where it is. */
    void start(Fleet fleet, Consumer<String> say) {
        if (port == null) {
            return;
        }
        var registry = FleetMetrics.prometheus(fleet);
        try {
            server = MetricsServer.start(new InetSocketAddress(address, port), registry::scrape);
        } catch (IOException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--metrics-port: " + e.getMessage());
        }
        say.accept("metrics: http://" + Addresses.show(server.address()) + "/metrics");
    }

    /** With --metrics-linger: the run is over; keeps serving its final figures for a while (on the command's thread). */
    void linger(Consumer<String> say) throws InterruptedException {
        if (server != null && lingerSeconds > 0) {
            say.accept("metrics: serving the final figures for " + lingerSeconds + " s more");
            Thread.sleep(lingerSeconds * 1000L);
        }
    }

    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
