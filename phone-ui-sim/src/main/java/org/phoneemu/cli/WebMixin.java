package org.phoneemu.cli;

import java.util.Optional;
import org.phoneemu.web.WebConfigException;
import org.phoneemu.web.WebOptions;
import picocli.CommandLine.Option;

/** The {@code --web*} options shared by lab, boot and fleet. */
final class WebMixin {
    @Option(names = "--web", paramLabel = "PORT", description = "serve the web pages on this port (0: any free port)")
    Integer port;

    @Option(names = "--web-bind", paramLabel = "ADDRESS", defaultValue = WebOptions.DEFAULT_BIND,
            description = "address to serve on (default: ${DEFAULT-VALUE}); anything but loopback needs --web-token")
    String bind;

    @Option(names = "--web-token", paramLabel = "TOKEN",
            description = "require this token: 'Authorization: Bearer TOKEN' or ?token=TOKEN (8+ characters)")
    String token;

    @Option(names = "--web-admin", description = "show the admin panel (CUCM commands on the simulated cluster)")
    boolean admin;

    /** The options when --web was given, checked (an unsafe bind is refused here, before anything starts). */
    Optional<WebOptions> options(boolean adminPossible) {
        if (port == null) {
            if (admin || token != null || !WebOptions.DEFAULT_BIND.equals(bind)) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--web-bind, --web-token and --web-admin need --web PORT");
            }
            return Optional.empty();
        }
        if (admin && !adminPossible) {
            throw new UserError(PhoneEmu.BAD_INPUT, "--web-admin needs the built-in simulated cluster (lab)");
        }
        WebOptions o = new WebOptions(bind, port, Optional.ofNullable(token), admin);
        try {
            o.checkedAddress();
        } catch (WebConfigException e) {
            throw new UserError(PhoneEmu.BAD_INPUT, e.getMessage());
        }
        return Optional.of(o);
    }

    /** What to print once the server listens. */
    static String announce(String what, String url, WebOptions o) {
        return what + ": " + url + (o.token().isPresent() ? " (with ?token=TOKEN or 'Authorization: Bearer TOKEN')" : "")
                + (o.admin() ? ", admin panel on" : "");
    }
}
