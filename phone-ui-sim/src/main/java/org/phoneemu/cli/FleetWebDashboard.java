package org.phoneemu.cli;

import io.netty.channel.EventLoopGroup;
import java.util.function.Consumer;
import org.phoneemu.fleet.Fleet;
import org.phoneemu.fleet.FleetSession;
import org.phoneemu.fleet.FleetTarget;
import org.phoneemu.fleet.Verdict;
import org.phoneemu.web.BootStats;
import org.phoneemu.web.FleetView;
import org.phoneemu.web.WebConfigException;
import org.phoneemu.web.WebOptions;
import org.phoneemu.web.WebServer;

/** {@code fleet --web}: the dashboard over the fleet's phones; boots are timed for it through the fleet engine. */
final class FleetWebDashboard implements FleetSession.Dashboard {
    private final WebOptions options;
    private final Consumer<String> say;

    FleetWebDashboard(WebOptions options, Consumer<String> say) {
        this.options = options;
        this.say = say;
    }

    @Override
    public AutoCloseable start(Fleet fleet, FleetTarget target, EventLoopGroup group) {
        BootStats stats = new BootStats();
        fleet.startBootsWith(p -> stats.time(p.mac(), p::boot));
        fleet.onBootDone(row -> stats.serverRefused(row.device().mac(), row.verdict() == Verdict.SERVER_REFUSED));
        try {
            WebServer server = WebServer.builder().options(options)
                    .fleet(FleetView.of("fleet: " + fleet.phones().size() + " phones against " + target.against(), fleet::phones,
                            target::servedItlMd5, stats))
                    .group(group).start();
            say.accept(WebMixin.announce("Dashboard", server.url(), options));
            return server;
        } catch (WebConfigException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
    }
}
