package org.phoneemu.fleet;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A load profile from a file ({@code fleet --ramp FILE}, docs/FLEET.md): points in time, each with either the rate
 * from then on or the number of phones started by then, turned into a {@link RateSchedule}. CSV (a header
 * {@code time,rate} or {@code time,phones}, then a point a line, {@code #} comments) or YAML (a list of
 * {@code {at: 30s, rate: 100}} or {@code {at: 30s, phones: 1500}}, at the top or under {@code ramp:}); {@code .yaml}
 * and {@code .yml} files are YAML, anything else CSV. A mistake names the file and its line.
 *
 * <p>With {@code phones}, the first point is {@code 0s} with 0 phones, and between two points the phones start
 * evenly (the second's count minus the first's over the time between); after the last point the last rate holds.
 */
public final class RampFile {
    /** The file is not a ramp; the message names the file and, where it can, the line. */
    public static final class RampFileException extends Exception {
        RampFileException(String message) {
            super(message);
        }
    }

    private static final Pattern TIME = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,6})?");
    private static final int MAX_BYTES = 1 << 20;

    private enum Kind { RATE, PHONES }

    private record Point(int line, Duration at, double value) {
    }

    private RampFile() {
    }

    public static RateSchedule read(Path file) throws RampFileException {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new RampFileException(file + ": more than 1 MB, not a ramp");
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new RampFileException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new RampFileException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new RampFileException(file + ": " + e.getMessage());
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") ? yaml(file.toString(), text) : csv(file.toString(), text);
    }

    /** Reads CSV text; {@code source} names it in messages. */
    static RateSchedule csv(String source, String text) throws RampFileException {
        String[] lines = text.split("\r?\n", -1);
        Kind kind = null;
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            int hash = lines[i].indexOf('#');
            String line = (hash >= 0 ? lines[i].substring(0, hash) : lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (kind == null) {
                String header = line.replace(" ", "").toLowerCase(Locale.ROOT);
                kind = switch (header) {
                    case "time,rate" -> Kind.RATE;
                    case "time,phones" -> Kind.PHONES;
                    default -> throw bad(source, i + 1, "the header is 'time,rate' or 'time,phones', not '" + line + "'");
                };
                continue;
            }
            if (cells.length != 2) {
                throw bad(source, i + 1, "a point is TIME," + word(kind) + " (e.g. 30s,100), not '" + line + "'");
            }
            points.add(point(source, i + 1, kind, cells[0].strip(), cells[1].strip()));
        }
        if (kind == null) {
            throw new RampFileException(source + ": empty (a header 'time,rate' or 'time,phones', then a point a line)");
        }
        return schedule(source, kind, points);
    }

    /** Reads YAML text; {@code source} names it in messages. */
    static RateSchedule yaml(String source, String text) throws RampFileException {
        LoaderOptions limits = new LoaderOptions();
        limits.setMaxAliasesForCollections(0);
        limits.setAllowDuplicateKeys(false);
        limits.setCodePointLimit(MAX_BYTES);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(limits)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw bad(source, line, "not YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new RampFileException(source + ": not YAML: " + e.getMessage());
        }
        if (root instanceof MappingNode m && m.getValue().size() == 1 && scalar(m.getValue().get(0).getKeyNode()).equals("ramp")) {
            root = m.getValue().get(0).getValueNode();
        }
        if (!(root instanceof SequenceNode list)) {
            throw bad(source, root == null ? 1 : line(root), "a ramp is a list of points like {at: 30s, rate: 100} (under 'ramp:' or alone)");
        }
        Kind kind = null;
        List<Point> points = new ArrayList<>();
        for (Node item : list.getValue()) {
            int line = line(item);
            if (!(item instanceof MappingNode m)) {
                throw bad(source, line, "a point is {at: TIME, rate: R} or {at: TIME, phones: N}");
            }
            String at = null;
            String value = null;
            Kind k = null;
            for (NodeTuple t : m.getValue()) {
                String key = scalar(t.getKeyNode());
                String v = scalar(t.getValueNode());
                switch (key) {
                    case "at" -> at = v;
                    case "rate", "phones" -> {
                        if (k != null) {
                            throw bad(source, line, "a point has a rate or a number of phones, not both");
                        }
                        k = key.equals("rate") ? Kind.RATE : Kind.PHONES;
                        value = v;
                    }
                    default -> throw bad(source, line(t.getKeyNode()), "unknown key '" + key + "' (at, rate, phones)");
                }
            }
            if (at == null || k == null) {
                throw bad(source, line, "a point is {at: TIME, rate: R} or {at: TIME, phones: N}");
            }
            if (kind != null && k != kind) {
                throw bad(source, line, "every point gives a rate, or every point a number of phones, not a mix");
            }
            kind = k;
            points.add(point(source, line, k, at, value));
        }
        if (kind == null) {
            throw bad(source, line(list), "the ramp has no point");
        }
        return schedule(source, kind, points);
    }

    private static Point point(String source, int line, Kind kind, String time, String value) throws RampFileException {
        Matcher t = TIME.matcher(time.toLowerCase(Locale.ROOT));
        if (!t.matches()) {
            throw bad(source, line, "a time is like 0s, 30s, 2m, 1h or 500ms, not '" + time + "'");
        }
        long n = Long.parseLong(t.group(1));
        String unit = t.group(2) == null ? "s" : t.group(2);
        Duration at = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (!NUMBER.matcher(value).matches() || (kind == Kind.PHONES && value.contains("."))) {
            throw bad(source, line, kind == Kind.RATE ? "a rate is phones per second (e.g. 50 or 12.5), not '" + value + "'"
                    : "a number of phones is a whole number, not '" + value + "'");
        }
        return new Point(line, at, Double.parseDouble(value));
    }

    private static RateSchedule schedule(String source, Kind kind, List<Point> points) throws RampFileException {
        if (points.isEmpty()) {
            throw new RampFileException(source + ": the ramp has no point");
        }
        Point first = points.get(0);
        if (!first.at().isZero()) {
            throw bad(source, first.line(), "the first point is at 0s (the round's start)");
        }
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).at().compareTo(points.get(i - 1).at()) <= 0) {
                throw bad(source, points.get(i).line(), "times must increase (this point is not after line " + points.get(i - 1).line() + ")");
            }
        }
        List<RateSchedule.Step> steps = new ArrayList<>();
        if (kind == Kind.RATE) {
            for (Point p : points) {
                if (p.value() <= 0 && points.size() > 1) {
                    throw bad(source, p.line(), "every rate of a ramp is more than 0 phones/s");
                }
                steps.add(new RateSchedule.Step(p.at(), p.value()));
            }
        } else {
            if (first.value() != 0) {
                throw bad(source, first.line(), "the first point is 0 phones at 0s");
            }
            if (points.size() < 2) {
                throw bad(source, first.line(), "a ramp by phones needs a second point (e.g. 60s,1000)");
            }
            for (int i = 1; i < points.size(); i++) {
                Point a = points.get(i - 1);
                Point b = points.get(i);
                if (b.value() <= a.value()) {
                    throw bad(source, b.line(), "the number of phones must grow (this point has no more than line " + a.line() + ")");
                }
                double seconds = (b.at().toNanos() - a.at().toNanos()) / 1e9;
                steps.add(new RateSchedule.Step(a.at(), (b.value() - a.value()) / seconds));
            }
        }
        try {
            return new RateSchedule(steps);
        } catch (IllegalArgumentException e) {
            throw new RampFileException(source + ": " + e.getMessage());
        }
    }

    private static String word(Kind kind) {
        return kind == Kind.RATE ? "RATE" : "PHONES";
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue().strip() : "";
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private static RampFileException bad(String source, int line, String why) {
        return new RampFileException(source + " line " + line + ": " + why);
    }
}
