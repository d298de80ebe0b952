package org.phoneemu.tac.audit;

/**
 * One thing the audit found.
 *
 * @param where the node, file or device it is about (e.g. {@code cucmpub ITLFile.tlv})
 * @param check a short stable name of the check (e.g. {@code itl-recovery}), for scripts reading the JSON
 * @param text what was found and what follows from it, in one line
 */
public record Finding(Severity severity, String where, String check, String text) {
}
