package org.phoneemu.phone;

/** What the phone's screen shows after pressing Directories or Services. */
public sealed interface PressResult {
    /** The page was fetched. */
    record Shown(String url, int status, String body, String via) implements PressResult {
    }

    /** The certificate was refused (not in CTL/ITL, TVS would not vouch): the phone shows "Host Not Found". */
    record HostNotFound(String url, String reason) implements PressResult {
    }

    /** No URL configured, or the connection failed. */
    record Failed(String reason) implements PressResult {
    }
}
