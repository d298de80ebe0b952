package org.phoneemu.tftp.boot;

/** What a file came over (docs/PROTOCOLS.md §4): a value of each download and of the phone's boot report. */
public enum Transport {
    /** HTTPS, port 6971 (the configuration, with an ITL of version 1.1). */
    HTTPS,
    /** Plain HTTP, port 6970. */
    HTTP,
    /** TFTP (RFC 1350), port 69 on a real cluster. */
    TFTP
}
