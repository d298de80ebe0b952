package org.phoneemu.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * How the web pages are served: where ({@code --web-bind}, {@code --web PORT}), behind which token
 * ({@code --web-token}) and whether the admin panel is on ({@code --web-admin}).
 *
 * @param bind host name or address to listen on (loopback by default)
 * @param port TCP port, 0 for an ephemeral one
 */
public record WebOptions(String bind, int port, Optional<String> token, boolean admin) {
    public static final String DEFAULT_BIND = "127.0.0.1";

    public WebOptions {
        token = token.filter(t -> !t.isEmpty());
    }

    public static WebOptions loopback(int port) {
        return new WebOptions(DEFAULT_BIND, port, Optional.empty(), false);
    }

    public WebOptions withToken(String t) {
        return new WebOptions(bind, port, Optional.of(t), admin);
    }

    public WebOptions withAdmin(boolean on) {
        return new WebOptions(bind, port, token, on);
    }

    /**
     * The address to listen on, after the safety rules: a port in range, a token of visible characters, and no
     * address other than loopback without a token (anyone who reaches the port would see every phone and, with
     * the admin panel, run CUCM commands).
     */
    public InetAddress checkedAddress() throws WebConfigException {
        if (port < 0 || port > 65535) {
            throw new WebConfigException("--web port must be between 0 and 65535, not " + port);
        }
        if (token.isPresent() && !token.get().matches("[A-Za-z0-9._~+/=-]{8,256}")) {
            throw new WebConfigException("--web-token must be 8 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new WebConfigException("--web-bind: cannot resolve '" + bind + "'");
        }
        if (!address.isLoopbackAddress() && token.isEmpty()) {
            throw new WebConfigException("--web-bind " + bind + " is not a loopback address: give --web-token too, "
                    + "or anyone who can reach the port sees the phones" + (admin ? " and runs CUCM commands" : ""));
        }
        return address;
    }
}
