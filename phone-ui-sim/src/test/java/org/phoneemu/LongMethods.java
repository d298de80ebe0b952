package org.phoneemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The methods and constructors of every module's main sources longer than a limit, longest first: what
 * {@link MethodLengthTest} holds to {@link #LIMIT} lines and what {@code scripts/long-methods.py} prints (it runs this
 * file as a single-file program, so it uses the JDK only).
 *
 * <p>A line count runs from the declaration to its closing brace, comments and blank lines included; a lambda or
 * anonymous class counts toward the method it stands in. Brace counting skips strings, characters, comments and text
 * blocks; record, class, interface and enum headers are not methods.
 *
 * <p>Usage: {@code java LongMethods.java [ROOT] [N]} (default: the current folder, {@value #LIMIT}).
 */
public final class LongMethods {
    /** The longest a main-code method may be, in lines. */
    public static final int LIMIT = 60;

    private static final Pattern DECLARATION = Pattern.compile("^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s+)*"
            + "(?:(?:public|protected|private|static|final|synchronized|abstract|default|native)\\s+)*(?:<[^>]+>\\s+)?"
            + "(?:[\\w.<>\\[\\]?, ]+\\s+)?(\\w+)\\s*\\(");
    private static final Pattern TYPE_HEADER = Pattern.compile("\\b(record|class|interface|enum)\\s");
    private static final Set<String> KEYWORDS = Set.of("if", "for", "while", "switch", "catch", "return", "new", "else", "try",
            "synchronized", "do", "throw", "case");

    private LongMethods() {
    }

    /**
     * One method over the limit.
     *
     * @param name     {@code Class.method}; a constructor is {@code Class.Class}
     * @param location the file (relative to the root) and the declaration's line
     */
    public record LongMethod(int lines, String module, String name, String location) {
        public String row() {
            return String.format("%4d  %-18s %-45s %s", lines, module, name, location);
        }
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        int limit = args.length > 1 ? Integer.parseInt(args[1]) : LIMIT;
        over(root, limit).forEach(m -> System.out.println(m.row()));
    }

    /** Every main-code method of the modules under {@code root} longer than {@code limit} lines, longest first. */
    public static List<LongMethod> over(Path root, int limit) throws IOException {
        List<LongMethod> found = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.sorted().toList()) {
                Path main = module.resolve("src/main/java");
                if (!Files.isDirectory(main)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList()) {
                        found.addAll(over(root, module.getFileName().toString(), f, limit));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        found.sort(Comparator.comparingInt(LongMethod::lines).thenComparing(LongMethod::module).thenComparing(LongMethod::name)
                .thenComparing(LongMethod::location).reversed());
        return found;
    }

    /** An open method: its name, the line of its declaration and the brace depth it opened at. */
    private record Open(String name, int start, int depth) {
    }

    private static List<LongMethod> over(Path root, String module, Path file, int limit) throws IOException {
        String className = file.getFileName().toString().replaceFirst("\\.java$", "");
        String location = root.relativize(file).toString().replace('\\', '/');
        List<String> clean = new ArrayList<>();
        boolean[] state = new boolean[2]; // in a block comment, in a text block
        Files.readString(file, StandardCharsets.UTF_8).lines().forEach(l -> clean.add(strip(l, state)));
        List<LongMethod> found = new ArrayList<>();
        int depth = 0;
        Deque<Open> open = new ArrayDeque<>();
        Open pending = null;
        for (int n = 0; n < clean.size(); n++) {
            String l = clean.get(n);
            String name = declared(l);
            if (name != null) {
                pending = new Open(name, n, -1);
            }
            for (char c : l.toCharArray()) {
                if (c == '{') {
                    if (pending != null) {
                        open.push(new Open(pending.name(), pending.start(), depth));
                        pending = null;
                    }
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (!open.isEmpty() && open.peek().depth() == depth) {
                        Open m = open.pop();
                        int length = n - m.start() + 1;
                        if (length > limit) {
                            found.add(new LongMethod(length, module, className + "." + m.name(), location + ":" + (m.start() + 1)));
                        }
                    }
                } else if (c == ';') {
                    pending = null;
                }
            }
        }
        return found;
    }

    /** The name of the method or constructor this (cleaned) line declares, else null. */
    private static String declared(String l) {
        Matcher m = DECLARATION.matcher(l);
        if (!m.lookingAt() || TYPE_HEADER.matcher(l).find() || KEYWORDS.contains(m.group(1))) {
            return null;
        }
        String trimmed = l.strip();
        if (trimmed.startsWith("return") || trimmed.startsWith("new ") || trimmed.startsWith("throw")) {
            return null;
        }
        int paren = l.indexOf('(');
        String beforeParen = paren < 0 ? l : l.substring(0, paren);
        String[] words = beforeParen.strip().split("\\s+");
        if (beforeParen.contains("=") || words[words.length - 1].contains(".")) {
            return null;
        }
        return m.group(1);
    }

    /** The line without strings, characters and comments; {@code state} carries block comments and text blocks across lines. */
    private static String strip(String line, boolean[] state) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            if (state[0]) {
                int j = line.indexOf("*/", i);
                if (j < 0) {
                    return out.toString();
                }
                state[0] = false;
                i = j + 2;
                continue;
            }
            if (state[1]) {
                int j = line.indexOf("\"\"\"", i);
                if (j < 0) {
                    return out.toString();
                }
                state[1] = false;
                i = j + 3;
                continue;
            }
            char c = line.charAt(i);
            if (line.startsWith("//", i)) {
                break;
            }
            if (line.startsWith("/*", i)) {
                state[0] = true;
                i += 2;
                continue;
            }
            if (line.startsWith("\"\"\"", i)) {
                state[1] = true;
                i += 3;
                continue;
            }
            if (c == '"' || c == '\'') {
                i++;
                while (i < line.length() && line.charAt(i) != c) {
                    i += line.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
