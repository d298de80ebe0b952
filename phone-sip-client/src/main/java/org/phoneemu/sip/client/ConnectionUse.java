package org.phoneemu.sip.client;

/**
 * What a registration does with its connections (docs/SIP.md §3). A Cisco phone keeps its registration's connection to
 * CallManager open and renews on it, and keeps one open to the next CallManager of its group with a keep-alive REGISTER.
 */
public enum ConnectionUse {
    /** One REGISTER per connection, closed after the answer (a fleet's phones, predict); drops any kept connection of the device. */
    CLOSE,
    /** A boot: the device's kept connections are closed (a rebooted phone has none), the new ones kept. */
    KEEP_NEW,
    /** A renewal: the REGISTER goes on the connection kept to that CallManager while it is open, else on a new one, kept. */
    KEEP_REUSE
}
