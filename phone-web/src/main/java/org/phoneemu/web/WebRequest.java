package org.phoneemu.web;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the routes need of an HTTP request, copied off the Netty buffers before the work leaves the event loop. */
record WebRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> form,
                  Optional<String> authorization, Optional<String> cookie, Optional<String> origin, Optional<String> host,
                  boolean fragment) {

    Optional<String> queryParam(String name) {
        return first(query, name);
    }

    Optional<String> formParam(String name) {
        return first(form, name);
    }

    private static Optional<String> first(Map<String, List<String>> m, String name) {
        List<String> v = m.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
}
