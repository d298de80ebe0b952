package org.phoneemu.web;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A complete response: status, type, body and any extra headers (Location, Set-Cookie, WWW-Authenticate). */
record WebResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    static WebResponse html(String html) {
        return new WebResponse(HttpResponseStatus.OK, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static WebResponse text(HttpResponseStatus status, String text) {
        return new WebResponse(status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static WebResponse redirect(String location) {
        return new WebResponse(HttpResponseStatus.FOUND, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location));
    }

    WebResponse withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new WebResponse(status, contentType, body, Map.copyOf(h));
    }
}
