package org.phoneemu.core.capf;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.phoneemu.core.config.CapfServerEntry;
import org.phoneemu.core.config.ConfigException;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;

/**
 * What an applied configuration asks of the phone's CAPF client: a pending certificate operation
 * ({@code certOperation}), how to authenticate ({@code capfAuthMode}) and where CAPF is ({@code capfList}). The
 * phone starts a CAPF session at boot only when an operation is pending (docs/CAPF.md §3).
 */
public record CapfInstruction(Operation operation, CapfAuthMode authMode, List<CapfServerEntry> servers) {
    /** The certificate operations a configuration can ask for. */
    public enum Operation { INSTALL, DELETE, TROUBLESHOOT }

    public CapfInstruction {
        servers = List.copyOf(servers);
    }

    /**
     * The instruction in an applied configuration, or empty when none is pending (or the configuration names no
     * CAPF server, or its values are not ones this phone knows: it then does nothing rather than guess).
     */
    public static Optional<CapfInstruction> from(PhoneConfig config, byte[] xml) {
        Optional<Operation> op = config.element("certOperation").flatMap(CapfInstruction::operation);
        if (op.isEmpty()) {
            return Optional.empty();
        }
        Optional<CapfAuthMode> mode = config.capfAuthMode().flatMap(CapfInstruction::authMode);
        if (mode.isEmpty()) {
            return Optional.empty();
        }
        List<CapfServerEntry> servers;
        try {
            servers = PhoneConfigParser.capfList(xml);
        } catch (ConfigException e) {
            return Optional.empty();
        }
        return servers.isEmpty() ? Optional.empty() : Optional.of(new CapfInstruction(op.get(), mode.get(), servers));
    }

    static Optional<Operation> operation(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "install", "upgrade" -> Optional.of(Operation.INSTALL);
            case "delete" -> Optional.of(Operation.DELETE);
            case "troubleshoot" -> Optional.of(Operation.TROUBLESHOOT);
            default -> Optional.empty();
        };
    }

    /** {@code capfAuthMode}: 0 null string, 1 authentication string, 2 existing certificate. */
    static Optional<CapfAuthMode> authMode(int code) {
        return switch (code) {
            case 0 -> Optional.of(CapfAuthMode.NULL_STRING);
            case 1 -> Optional.of(CapfAuthMode.AUTH_STRING);
            case 2 -> Optional.of(CapfAuthMode.EXISTING_CERTIFICATE);
            default -> Optional.empty();
        };
    }
}
