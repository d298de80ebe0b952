package org.phoneemu.cucm;

import java.time.Duration;
import java.util.List;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * CUCM's own words, in one place. Every string quoted from a seed says which; strings the seeds do not show are
 * marked as this simulator's and kept short. The seed documents are listed in docs/TRUST-RULES.md, Sources.
 */
final class CucmText {
    private CucmText() {
    }

    // ---- set cert regen (seed 004, "Enhancements to Decrease the Likelihood of Phones Losing Trust") ----

    static String regenWarning(CertificateUnit unit) {
        return "WARNING: This operation will overwrite any CA signed certificate previously imported for " + unit.cliName();
    }

    static final String REGEN_PROMPT = "Proceed with regeneration (yes|no)? ";

    static List<String> regenSuccess(CertificateUnit unit) {
        return List.of(
                "Successfully Regenerated Certificate for " + unit.cliName() + ".",
                "Please do a backup of the server as soon as possible. Failure to do so can stale the cluster in case of a crash.",
                "You must restart services related to " + unit.cliName() + " for the regenerated certificates to become active.");
    }

    /**
     * The hold-timer refusal exactly as seed 004 (and 002) print it on the CLI, including CUCM's spelling
     * "regnerating"; the OS Administration page (seed 000) spells it "regenerating".
     */
    static String holdTimer(CertificateUnit modified, CertificateUnit requested, Duration hold) {
        long minutes = Math.max(1, hold.toMinutes());
        return modified.cliName() + " certificate was modified in the last " + minutes + " minutes. Please re-try regnerating "
                + requested.cliName() + " certificate at a later time";
    }

    // ---- set cert delete <store> <name> (syntax: the CLI reference, "set cert delete unit name"; the output is not shown
    // there, so both lines are this simulator's: docs/SIP.md §10) ----

    static String trustCertificateDeleted(String name, String store) {
        return "Successfully deleted certificate " + name + " from " + store + ".";
    }

    static String trustCertificateNotFound(String name, String store) {
        return "Executed command unsuccessfully\nCertificate " + name + " not found in " + store;
    }

    // ---- utils itl reset (seed 004, "ITLRecovery using local recovery key") ----

    /** Seed 004: 'Issuing an ITL reset from a subscriber results in "This is not a Publisher Node."' */
    static final String NOT_PUBLISHER = "This is not a Publisher Node";
    static final String ADMIN_PASSWORD_PROMPT = "Enter CCM Administrator password :";
    static final String SFTP_PASSWORD_PROMPT = "Enter Sftp password :";
    static final String LOCATING = "Locating active Tftp servers in the cluster.....";
    static final String TFTP_LIST = "Following is the list of Active tftp servers in the cluster";
    static final String RESET_GENERATED = "The reset ITL file was generated successfully";
    static final String TRANSFERRING = "Transferring new reset ITL file to the TFTP server nodes in the cluster.........";

    static String restartingTftp(String host) {
        return "Restarting Cisco Tftp service on host " + host;
    }

    static String restartedTftp(String host) {
        return "Cisco Tftp service restarted on host " + host;
    }

    static String transferred(String host) {
        return "Successfully transferred reset ITL to node " + host;
    }

    /** Python's list repr, as CUCM prints the TFTP nodes: {@code ['test10pub', 'test10sub']}. */
    static String hostList(List<String> hosts) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < hosts.size(); i++) {
            sb.append(i > 0 ? ", " : "").append('\'').append(hosts.get(i)).append('\'');
        }
        return sb.append(']').toString();
    }

    // ---- file get tftp ITLRecovery.p12 (seed 004, "Backup the ITL Recovery") ----

    static final String GATHERING = "Please wait while the system is gathering files info ...done.";
    static final String NOT_TRAVERSED = "Sub-directories were not traversed.";
    static final String PROCEED = "Would you like to proceed [y/n]? ";
    static final String TRANSFER_COMPLETED = "Transfer completed.";
    static final String P12_PATH = "/usr/local/cm/tftp/ITLRecovery.p12";
    /** Seed 004 says only that a subscriber "will result in file not found"; the wording here is the simulator's. */
    static final String FILE_NOT_FOUND = "File not found";

    // ---- utils service restart (not in the seeds: CUCM's service manager output) ----

    static List<String> serviceRestart(String service) {
        return List.of(
                "Do not press Ctrl+C while the service is restarting. If the service has not restarted properly, execute the same command again.",
                "Service Manager is running",
                service + "[STOPPING]",
                service + "[STARTING]",
                service + "[STARTED]");
    }
}
