package org.phoneemu.fleet.shard;

/** Shard reports that cannot be read or merged; the message says which directory and why, in one line. */
public final class ShardReportException extends Exception {
    public ShardReportException(String message) {
        super(message);
    }
}
