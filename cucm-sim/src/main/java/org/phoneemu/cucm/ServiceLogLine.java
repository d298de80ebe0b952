package org.phoneemu.cucm;

import java.time.Instant;

/**
 * A trace line of one of a node's services, e.g. TVS's {@code MsgType : TVS_MSG_CERT_VERIFICATION_REQ}.
 * {@link #toString()} prints it as CUCM's trace files do: {@code 15:21:02.010 | debug <text>}.
 */
public record ServiceLogLine(Instant at, String node, ClusterService service, String text, String formatted) {
    @Override
    public String toString() {
        return formatted;
    }
}
