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

    private MetricsServer server;

    void check() {
        if (port != null && (port < 0 || port > 65535)) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--metrics-port must be between 0 and 65535");
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

    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
