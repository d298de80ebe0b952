package org.phoneemu.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/** The style sheet, script and icon shipped in the jar, read once at start (never from disk per request). */
final class StaticFiles {
    record Resource(String contentType, byte[] bytes) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "style.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "icon.svg", "image/svg+xml");

    private final Map<String, Resource> files;

    StaticFiles() {
        java.util.HashMap<String, Resource> m = new java.util.HashMap<>();
        TYPES.forEach((name, type) -> m.put(name, new Resource(type, read(name))));
        this.files = Map.copyOf(m);
    }

    Optional<Resource> get(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource static/" + name + " in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
