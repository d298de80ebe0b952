package org.phoneemu.tac.audit;

import java.time.Duration;
import java.time.Instant;

/**
 * @param now the instant certificates are judged at
 * @param expiryWarning certificates expiring within this are reported (the CLI's {@code --days}, 90 by default)
 */
public record AuditOptions(Instant now, Duration expiryWarning) {
}
