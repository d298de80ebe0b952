package org.phoneemu.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.phoneemu.core.io.DevicesFile;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;

/**
 * The one validation layer of the CLI: every value a user gives (an option's value, a file, a folder, an address, a
 * devices list) is checked here, and a mistake becomes one {@link UserError} that names the input (the option, or
 * the file and line), and says what was expected. No exception or class name reaches the user from here; the
 * table of mistakes and their lines is docs/ERRORS.md, checked by {@code ErrorTableTest}.
 */
final class UserInput {
    private UserInput() {
    }

    static UserError bad(String message) {
        return new UserError(PhoneEmu.BAD_INPUT, message);
    }

    /** A MAC as phones and CUCM write it: {@code 001122334455}, {@code SEP001122334455}, {@code 00:11:22:33:44:55}. */
    static Mac mac(String option, String text) {
        return Mac.parseWritten(text).orElseThrow(() -> bad(option
                + " must be 12 hex digits (001122334455, SEP001122334455 or 00:11:22:33:44:55), not '" + text + "'"));
    }

    /** A Cisco IP phone model: {@code 7970}, {@code 8845}, {@code 7965G}. */
    static PhoneModel model(String option, String text) {
        return PhoneModel.parseKnown(text).orElseThrow(() -> bad(option + " must be a phone model such as 7970, 8845 or 7965G, not '"
                + text + "'"));
    }

    /** A duration: {@code 301}, {@code 301s}, {@code 5m}, {@code 24h}, {@code 2d}. */
    static Duration duration(String option, String text) {
        return Durations.parse(text, option);
    }

    /** {@code HOST[:PORT]}, resolved; {@code defaultPort} when no port is given. */
    static InetSocketAddress address(String option, String hostPort, int defaultPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw bad(option + " needs a host name or address, not an empty value");
        }
        String host = hostPort;
        int port = defaultPort;
        int colon = hostPort.lastIndexOf(':');
        if (colon == 0) {
            throw bad(option + " needs a host before the port, not '" + hostPort + "'");
        }
        if (colon > 0 && hostPort.indexOf(':') == colon) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw bad(option + ": bad port in '" + hostPort + "'");
            }
        }
        if (port < 1 || port > 65535) {
            throw bad(option + ": port out of range (1-65535) in '" + hostPort + "'");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw bad(option + ": cannot resolve the host '" + host + "'");
        }
        return a;
    }

    /**
     * A cluster file as the user named it, found as {@code lab} finds it: in the current folder, else (a relative
     * path) in phone-emu's own folder; a missing one is named.
     */
    static Path clusterFile(Path given) {
        Path found = Home.resolve(given);
        if (Files.isDirectory(found)) {
            throw bad("cluster file " + given + ": is a folder, not a file");
        }
        if (!Files.isRegularFile(found) && !Files.exists(found)) {
            throw bad("cluster file " + given + ": no such file");
        }
        return found;
    }

    /** A scenario file, found like a cluster file. */
    static Path scenarioFile(Path given) {
        return Home.resolve(given);
    }

    /** Every phone of a devices list ({@link DevicesFile}): the file and line of a mistake are named. */
    static List<DevicesFile.Row> devices(Path file) {
        try {
            return DevicesFile.readAll(file);
        } catch (IOException e) {
            throw bad(e.getMessage());
        }
    }

    /**
     * A file the command will create ({@code --pcap}, {@code --json}): its folder must exist (nothing is created
     * outside what the user asked for) and it must not be a folder.
     */
    static Path newFile(String option, Path file) {
        if (Files.isDirectory(file)) {
            throw bad(option + " " + file + ": is a folder, not a file");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw bad(option + " " + file + ": " + (Files.exists(parent) ? parent + " is a file, not a folder" : "no such folder " + parent));
        }
        if (parent != null && !Files.isWritable(parent)) {
            throw bad(option + " " + file + ": cannot be written: permission denied");
        }
        return file;
    }

    /** A cap per server ({@code --max-in-flight-per-server}): 0 for none, or at least 1. */
    static int capPerServer(String option, int n) {
        if (n < 0) {
            throw bad(option + " must be 0 (no cap) or a number of requests of at least 1, not " + n);
        }
        return n;
    }

    /**
     * A fleet's ramp ({@code --rate}): phones a second, or steps {@code 50,100@30s,200@60s} (50/s from the start,
     * 100/s from 30 s, 200/s from 60 s). One line says what was expected, whatever the mistake.
     */
    static org.phoneemu.fleet.RateSchedule rateSchedule(String option, String text) {
        UserError expected = bad(option + " takes phones per second (e.g. 50) or steps like 50,100@30s,200@60s"
                + " (times increasing, every rate above 0), not '" + text + "'");
        List<org.phoneemu.fleet.RateSchedule.Step> steps = new ArrayList<>();
        try {
            for (String part : text.split(",", -1)) {
                int at = part.indexOf('@');
                String number = at < 0 ? part.strip() : part.substring(0, at).strip();
                if (steps.isEmpty() == (at >= 0) || !number.matches("[0-9]{1,9}(\\.[0-9]{1,6})?")) {
                    throw expected; // the first step has no time, every later one has
                }
                Duration from = at < 0 ? Duration.ZERO : Durations.parse(part.substring(at + 1), option);
                steps.add(new org.phoneemu.fleet.RateSchedule.Step(from, Double.parseDouble(number)));
            }
            return new org.phoneemu.fleet.RateSchedule(steps);
        } catch (IllegalArgumentException | UserError e) {
            throw expected;
        }
    }

    /**
     * {@code ROUND=COMMAND} values (fleet's {@code --admin-before}), by round, several for one round kept in the order
     * given; rounds are 1..{@code reboots}.
     */
    static Map<Integer, List<String>> adminRounds(String option, List<String> values, int reboots) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            int round;
            try {
                round = eq < 0 ? -1 : Integer.parseInt(v.substring(0, eq).strip());
            } catch (NumberFormatException e) {
                round = -1;
            }
            String command = eq < 0 ? "" : v.substring(eq + 1).strip();
            if (round < 0 || command.isEmpty()) {
                throw bad(option + " takes ROUND=COMMAND (e.g. 2='set cert regen CallManager'), not '" + v + "'");
            }
            if (round < 1 || round > reboots) {
                throw bad(option + " " + round + ": rounds 1.." + reboots + " are reboots (see --reboots)");
            }
            out.computeIfAbsent(round, r -> new ArrayList<>()).add(command);
        }
        return out;
    }

    /**
     * Every node address of a cluster file must be one this machine has (any 127.x.y.z is: Linux routes all of
     * 127/8 to the loopback), or the servers could not be bound; said before anything starts.
     */
    static void clusterAddresses(org.phoneemu.cucm.config.ClusterSpec spec, Path file) {
        for (int i = 0; i < spec.nodes().size(); i++) {
            java.net.InetAddress a = spec.nodes().get(i).address();
            boolean mine;
            try {
                mine = a.isLoopbackAddress() || a.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
            } catch (java.net.SocketException e) {
                mine = true; // cannot tell: let the bind say so
            }
            if (!mine) {
                throw bad("cluster file " + file + ": nodes[" + i + "].address " + a.getHostAddress()
                        + " is not an address of this machine (use 127.0.0.x)");
            }
        }
    }

    /**
     * A cluster that could not start: the server, address and port that failed, and a hint that fits the cause (a
     * taken port, an address this machine does not have), never a guess.
     */
    static UserError clusterStartFailure(Throwable e) {
        String line = null;
        String root = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && line == null && m.startsWith("cannot bind")) {
                line = m;
            }
            if (m != null) {
                root = m;
            }
        }
        String what = line != null ? line : root != null ? root : "a server could not be started";
        String lower = what.toLowerCase(java.util.Locale.ROOT);
        String hint = lower.contains("already in use") ? " (the port is taken: stop what uses it, or set ports to 0 in the cluster file for ephemeral ports)"
                : lower.contains("cannot assign requested address") ? " (this machine has no such address: use 127.0.0.x in the cluster file)"
                : lower.contains("permission denied") ? " (ports below 1024 need privileges: set ports to 0 in the cluster file for ephemeral ports)"
                : "";
        return bad("cannot start the cluster: " + org.phoneemu.core.text.TerminalText.line(what) + hint);
    }
}
