package org.phoneemu.cucm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.pki.DistinguishedNames;
import org.phoneemu.core.pki.NameStyle;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.store.AtomicFiles;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.cucm.config.MicTrustStore;
import org.phoneemu.cucm.files.TftpFile;
import org.phoneemu.cucm.pki.CertificateUnit;

/**
 * CUCM's {@code admin:} command line on one node: takes a command line, prints what CUCM prints. The words come
 * from the seed documents (seed 004 above all; listed in docs/TRUST-RULES.md, Sources); where the seeds show nothing, the text is short and marked as the
 * simulator's in docs/CUCM-SIM.md. Questions CUCM asks ("Proceed with regeneration (yes|no)?") go to a
 * {@link Prompter}; the default one answers as the seed transcripts do, so {@link #execute(String)} never blocks.
 *
 * <pre>{@code
 * AdminShell shell = new AdminShell(cluster, "test10pub");
 * System.out.print(shell.execute("set cert regen CallManager"));
 * System.out.print(shell.execute("set cert regen TVS"));   // refused by the hold timer
 * }</pre>
 */
public final class AdminShell {
    /** The prompt CUCM shows. */
    public static final String PROMPT = "admin:";

    /** Answers CUCM's questions; an interactive console asks its user. */
    @FunctionalInterface
    public interface Prompter {
        /**
         * @param question the text CUCM prints before waiting, e.g. {@code "Proceed with regeneration (yes|no)? "}
         * @param secret whether the answer is a password (not echoed)
         * @param suggested what the seed transcripts answer
         */
        String answer(String question, boolean secret, String suggested);

        /** Answers every question as the seed transcripts do (yes, y, the cluster security password). */
        Prompter DEFAULTS = (question, secret, suggested) -> suggested;
    }

    private final Cluster cluster;
    private final String node;
    private final Prompter prompter;
    private final List<Command> commands = commands();
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private boolean confined;

    public AdminShell(Cluster cluster, String node) {
        this(cluster, node, Prompter.DEFAULTS);
    }

    public AdminShell(Cluster cluster, String node, Prompter prompter) {
        this.cluster = Objects.requireNonNull(cluster);
        this.node = cluster.node(node).id();
        this.prompter = Objects.requireNonNull(prompter);
    }

    /** Where {@code file get} writes and relative paths ({@code remotekey}, {@code set cert import}) are read. */
    public AdminShell workingDirectory(Path dir) {
        this.workingDirectory = dir.toAbsolutePath().normalize();
        return this;
    }

    /**
     * Keeps every file a command reads or writes inside the working directory (no absolute path, no {@code ..} out,
     * no symbolic link out): for a shell reached from a web page, which must not choose where
     * {@code file get tftp ITLRecovery.p12} writes the recovery key.
     */
    public AdminShell confined(boolean on) {
        this.confined = on;
        return this;
    }

    /** {@code name} resolved in the working directory, or refused when the shell is confined and it leads out. */
    private Path inWorkingDirectory(String name) throws AdminException {
        Path p = workingDirectory.resolve(name).normalize();
        if (confined && !staysInside(p)) {
            throw new AdminException("Executed command unsuccessfully\n" + name
                    + ": outside the working directory " + workingDirectory + " (this shell reads and writes only there)");
        }
        return p;
    }

    /**
     * Whether {@code p} (normalized) lies under the working directory with no symbolic link on the way, a dangling
     * one included (a link made later could point anywhere): each component below the working directory that exists
     * is looked at without following links, and what exists resolves inside the working directory's real path.
     */
    private boolean staysInside(Path p) {
        if (!p.startsWith(workingDirectory)) {
            return false;
        }
        try {
            Path at = workingDirectory;
            for (Path part : workingDirectory.relativize(p)) {
                at = at.resolve(part);
                if (Files.isSymbolicLink(at)) {
                    return false;
                }
                if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    return true; // the rest does not exist yet: created inside
                }
            }
            return at.toRealPath().startsWith(workingDirectory.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    public String prompt() {
        return PROMPT;
    }

    /**
     * What one command printed, and whether CUCM refused it (an unknown command, a wrong argument, "This is not a
     * Publisher Node", the hold timer, a file that cannot be read or written): callers give every refusal the same
     * exit code.
     *
     * @param reason the first line of CUCM's answer that says why, for a one-line summary; empty when not refused
     */
    public record Result(String output, boolean refused, String reason) {
    }

    /** Runs one command line and returns everything CUCM would print, ending with a newline. */
    public String execute(String line) {
        return run(line).output();
    }

    /** Runs one command line: what CUCM prints and whether it refused the command. */
    public Result run(String line) {
        StringBuilder out = new StringBuilder();
        return execute(line, out);
    }

    /** Runs one command line, appending output as it goes (so an interactive console shows prompts in time). */
    public Result execute(String line, Appendable out) {
        StringBuilder copy = new StringBuilder();
        Output o = new Output(new Appendable() {
            @Override
            public Appendable append(CharSequence csq) throws IOException {
                copy.append(csq);
                return out.append(csq);
            }

            @Override
            public Appendable append(CharSequence csq, int start, int end) throws IOException {
                return append(csq.subSequence(start, end));
            }

            @Override
            public Appendable append(char c) throws IOException {
                return append(String.valueOf(c));
            }
        });
        List<String> words = words(line);
        if (words.isEmpty()) {
            return new Result("", false, "");
        }
        String reason = "";
        try {
            dispatch(words, o);
            reason = o.refusal;
        } catch (AdminException e) {
            o.line(e.getMessage());
            reason = e.getMessage();
        } catch (IllegalArgumentException e) {
            o.line("Executed command unsuccessfully");
            o.line(e.getMessage());
            reason = e.getMessage();
        } catch (UncheckedIOException e) {
            // A file the command reads or writes on the user's side (file get, remotekey, import): their mistake.
            String why = e.getCause() instanceof java.nio.file.FileSystemException f
                    ? org.phoneemu.core.io.FileProblem.describe(f) : e.getMessage();
            o.line("Executed command unsuccessfully");
            o.line(why);
            reason = why;
        }
        String summary = lastLine(reason);
        return new Result(copy.toString(), !summary.isEmpty(), summary);
    }

    private static String lastLine(String text) {
        if (text == null) {
            return "";
        }
        String last = "";
        for (String l : text.split("\n")) {
            if (!l.isBlank()) {
                last = l.trim();
            }
        }
        return last;
    }

    /** One command of the shell: the words it starts with, its line in {@code help}, and what it does. */
    private record Command(List<String> words, Optional<String> help, Handler handler) {
        boolean matches(List<String> w) {
            if (w.size() < words.size()) {
                return false;
            }
            for (int i = 0; i < words.size(); i++) {
                if (!w.get(i).equalsIgnoreCase(words.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    @FunctionalInterface
    private interface Handler {
        /** @param w every word of the command line, the command's own words included */
        void run(List<String> w, Output o) throws AdminException;
    }

    private static Command command(String words, String help, Handler handler) {
        return new Command(List.of(words.split(" ")), Optional.of(help), handler);
    }

    /** A command whose help is the previous command's line (e.g. {@code mixed-mode|non-secure-mode}). */
    private static Command helpedAbove(String words, Handler handler) {
        return new Command(List.of(words.split(" ")), Optional.empty(), handler);
    }

    /** The commands, in the order {@code help} lists them. No command's words start another's. */
    private List<Command> commands() {
        return List.of(
                command("set cert regen", "set cert regen CallManager|TVS|tomcat|tomcat-ECDSA|ITLRecovery [node]",
                        (w, o) -> regen(arg(w, 3, "set cert regen <unit> [node]"), optional(w, 4), o)),
                command("set cert import trust", "set cert import trust [CallManager-trust|CAPF-trust|Phone-SAST-trust|tomcat-trust] <pem-file>",
                        (w, o) -> importTrust(w.subList(4, w.size()), o)),
                command("set cert delete", "set cert delete CallManager-trust|CAPF-trust <certificate-name.pem>",
                        (w, o) -> deleteTrust(w.subList(3, w.size()), o)),
                command("file get cert", "file get cert CallManager|TVS|tomcat|ITLRecovery [node]   (Download .PEM File)",
                        (w, o) -> downloadCert(arg(w, 3, "file get cert <unit> [node]"), optional(w, 4), o)),
                command("utils bulkcert export", "utils bulkcert export|consolidate|import   (Bulk Certificate Management, in this folder)",
                        (w, o) -> bulk("export", o)),
                helpedAbove("utils bulkcert consolidate", (w, o) -> bulk("consolidate", o)),
                helpedAbove("utils bulkcert import", (w, o) -> bulk("import", o)),
                command("show cert list", "show cert list own|trust [node]",
                        (w, o) -> showCertList(arg(w, 3, "show cert list own|trust [node]"), optional(w, 4), o)),
                command("show cert own", "show cert own <unit> [node]",
                        (w, o) -> showCert(arg(w, 3, "show cert own <unit>"), optional(w, 4), o)),
                command("show itl", "show itl [node]", (w, o) -> o.text(admin(optional(w, 2)).showItl())),
                command("show ctl", "show ctl", (w, o) -> o.text(admin(optional(w, 2)).showCtl())),
                command("utils itl reset localkey", "utils itl reset localkey",
                        (w, o) -> itlReset(Optional.empty(), Optional.empty(), false, o)),
                command("utils itl reset remotekey",
                        "utils itl reset remotekey <ITLRecovery.p12> [password]   (or <sftp-host> <user> <path>)",
                        (w, o) -> remoteKey(w.subList(4, w.size()), o)),
                command("file get tftp", "file get tftp ITLRecovery.p12 [directory]",
                        (w, o) -> fileGet(arg(w, 3, "file get tftp ITLRecovery.p12 [directory]"), optional(w, 4), o)),
                command("file list tftp", "file list tftp", (w, o) -> fileList(o)),
                command("utils service restart", "utils service restart Cisco Tftp|Cisco Trust Verification Service [node]",
                        (w, o) -> restart(w.subList(3, w.size()), o)),
                command("set network hostname", "set network hostname <hostname>", this::changeHostname),
                command("set network domain", "set network domain <domain>", this::changeDomain),
                command("set rollback", "set rollback true|false          (Prepare Cluster for Rollback to pre 8.0)",
                        this::setRollback),
                command("set device security", "set device security SEP<MAC> non-secure|authenticated|encrypted   (the phone's Device Security Profile)",
                        this::setDeviceSecurity),
                command("utils reset phones", "utils reset phones", (w, o) -> {
                    admin(Optional.empty()).resetPhones();
                    o.line("Reset sent to all devices.");
                }),
                command("utils ctl set-cluster mixed-mode", "utils ctl set-cluster mixed-mode|non-secure-mode", (w, o) -> {
                    admin(Optional.empty()).setMixedMode(true);
                    o.line("The CTL file was generated successfully. The cluster is in mixed mode.");
                }),
                helpedAbove("utils ctl set-cluster non-secure-mode", (w, o) -> {
                    admin(Optional.empty()).setMixedMode(false);
                    o.line("The CTL file was removed. The cluster is in non-secure mode.");
                }),
                command("utils ctl update ctlfile", "utils ctl update CTLFile", (w, o) -> {
                    admin(Optional.empty()).updateCtl();
                    o.line("The CTL file was generated successfully.");
                }),
                command("utils disaster_recovery backup", "utils disaster_recovery backup local <name>", this::backup),
                command("utils disaster_recovery restore", "utils disaster_recovery restore local <name> [without-callmanager-key]",
                        (w, o) -> restore(w.subList(3, w.size()), o)),
                command("utils disaster_recovery show_backupfiles", "utils disaster_recovery show_backupfiles",
                        (w, o) -> admin(Optional.empty()).backups().forEach(o::line)));
    }

    private void dispatch(List<String> w, Output o) throws AdminException {
        String cmd = String.join(" ", w).toLowerCase(Locale.ROOT);
        if (cmd.equals("help") || cmd.equals("?")) {
            help(o);
            return;
        }
        for (Command c : commands) {
            if (c.matches(w)) {
                c.handler().run(w, o);
                return;
            }
        }
        o.line("Executed command unsuccessfully");
        o.line("Invalid command: " + String.join(" ", w) + " (type 'help' for the commands of the simulated CUCM)");
        o.refusal = "Invalid command: " + String.join(" ", w);
    }

    private void help(Output o) {
        for (Command c : commands) {
            c.help().ifPresent(o::line);
        }
    }

    // ---- set network, set rollback, backup -----------------------------------------------------------------

    private void changeHostname(List<String> w, Output o) throws AdminException {
        String host = arg(w, 3, "set network hostname <hostname>");
        admin(Optional.empty()).changeHostname(host);
        o.line("");
        o.line("Hostname changed to " + host + ": the CallManager, TVS and tomcat certificates were regenerated;");
        o.line("the ITLRecovery certificate keeps its name. The phones are reset.");
    }

    private void changeDomain(List<String> w, Output o) throws AdminException {
        String domain = arg(w, 3, "set network domain <domain>");
        admin(Optional.empty()).changeDomain(domain);
        o.line("");
        o.line("Domain changed to " + domain + ": the CallManager, TVS and tomcat certificates were regenerated;");
        o.line("the ITLRecovery certificate keeps its name. The phones are reset.");
    }

    private void setRollback(List<String> w, Output o) throws AdminException {
        boolean on = bool(arg(w, 2, "set rollback true|false"));
        admin(Optional.empty()).setRollback(on);
        o.line("Prepare Cluster for Rollback to pre 8.0 = " + (on ? "True" : "False"));
        o.line("Reset the devices for the change to reach the phones.");
    }

    /**
     * Administration's Phone Configuration page, another Device Security Profile (simulator's command: CUCM has no CLI
     * for it): the mode, the profile's transport following it (TLS when secure, else TCP).
     */
    private void setDeviceSecurity(List<String> w, Output o) throws AdminException {
        String usage = "set device security SEP<MAC> non-secure|authenticated|encrypted";
        String device = arg(w, 3, usage);
        String mac = device.toUpperCase(java.util.Locale.ROOT).startsWith("SEP") ? device.substring(3) : device;
        if (!mac.matches("[0-9A-Fa-f]{12}")) {
            throw new AdminException("Not a device name: " + device + " (" + usage + ")");
        }
        int mode = switch (arg(w, 4, usage).toLowerCase(java.util.Locale.ROOT)) {
            case "non-secure", "nonsecure", "1" -> 1;
            case "authenticated", "2" -> 2;
            case "encrypted", "3" -> 3;
            default -> throw new AdminException("A device security mode is non-secure, authenticated or encrypted (" + usage + ")");
        };
        cluster.setSecurityMode(mac, mode);
        String name = "SEP" + mac.toUpperCase(java.util.Locale.ROOT);
        o.line("Device Security Mode of " + name + " = " + (mode == 1 ? "Non Secure" : mode == 2 ? "Authenticated" : "Encrypted")
                + ", transport " + (mode == 1 ? "TCP" : "TLS"));
        o.line("Reset the device for the change to reach the phone (its next boot registers as the profile says).");
    }

    private void backup(List<String> w, Output o) throws AdminException {
        String name = arg(w, w.size() > 3 ? w.size() - 1 : 3, "utils disaster_recovery backup local <name>");
        admin(Optional.empty()).backup(name);
        o.line("Backup " + name + " completed.");
    }

    // ---- set cert regen (seed 004) -------------------------------------------------------------------------

    private void regen(String unitName, Optional<String> target, Output o) throws AdminException {
        CertificateUnit unit = CertificateUnit.fromCli(unitName)
                .orElseThrow(() -> new IllegalArgumentException("Unknown certificate unit " + unitName + " (CallManager, TVS, tomcat, tomcat-ECDSA, ITLRecovery)"));
        NodeAdmin admin = admin(target);
        o.line("");
        // The hold timer answers before any question (seed 004: the refusal follows the command directly).
        Optional<HoldTimerException> hold = admin.holdTimer(unit);
        if (hold.isPresent()) {
            o.refusal = hold.get().getMessage().trim();
            o.line(hold.get().getMessage());
            o.line("");
            return;
        }
        o.line(CucmText.regenWarning(unit));
        String answer = o.ask(CucmText.REGEN_PROMPT, false, "yes");
        if (!answer.trim().equalsIgnoreCase("yes")) {
            o.line("");
            return;
        }
        admin.regenerateCertificate(unit);
        o.line("");
        o.line("");
        CucmText.regenSuccess(unit).forEach(o::line);
        o.line("");
    }

    /** The trust stores {@code set cert import trust} names (OS Administration's certificate purposes). */
    private static final List<String> TRUST_STORES = List.of("CallManager-trust", "CAPF-trust", "Phone-SAST-trust", "tomcat-trust");

    private void importTrust(List<String> args, Output o) throws AdminException {
        String usage = "set cert import trust [CallManager-trust|CAPF-trust|Phone-SAST-trust|tomcat-trust] <pem-file>";
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        Optional<String> store = TRUST_STORES.stream().filter(t -> t.equalsIgnoreCase(args.get(0))).findFirst();
        if (store.isPresent() && args.size() < 2) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        if (store.isEmpty() && args.get(0).toLowerCase(Locale.ROOT).endsWith("-trust")) {
            throw new AdminException("Unknown trust store " + args.get(0) + " (known: " + String.join(", ", TRUST_STORES) + ")");
        }
        importTrust(store.isPresent() ? args.get(1) : args.get(0), store.orElse(ClusterState.NO_STORE), o);
        store.ifPresent(t -> o.line("The certificate is in " + t + ": TVS vouches for it."));
    }

    private void importTrust(String file, String store, Output o) throws AdminException {
        Path p = inWorkingDirectory(file);
        X509Certificate cert;
        try {
            cert = PemFile.read(p).certificate();
        } catch (PemFiles.PemException e) {
            throw new AdminException(e.getMessage());
        }
        admin(Optional.empty()).importTrustCertificate(cert, store);
        o.line("Successfully imported certificate for " + DistinguishedNames.format(cert.getSubjectX500Principal(), NameStyle.CUCM) + ".");
    }

    /**
     * {@code set cert delete <unit> <name>} (CLI reference: "deletes a specific certificate file from the trust unit").
     * The stores whose content decides anything here are CallManager-trust and CAPF-trust (MICs); the others are refused.
     */
    private void deleteTrust(List<String> args, Output o) throws AdminException {
        String usage = "set cert delete CallManager-trust|CAPF-trust <certificate-name.pem>";
        if (args.size() != 2) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        MicTrustStore store = MicTrustStore.fromCli(args.get(0)).orElseThrow(() -> new AdminException("Executed command unsuccessfully\n"
                + "Unknown trust unit " + args.get(0) + " (this simulator deletes from " + MicTrustStore.known() + ")"));
        NodeAdmin admin = admin(Optional.empty());
        try {
            java.util.Map<X509Certificate, String> names = NodeAdmin.trustNames(admin.cluster().micTrust(store));
            List<X509Certificate> removed = admin.deleteTrustCertificate(store, args.get(1));
            removed.forEach(c -> o.line(CucmText.trustCertificateDeleted(names.getOrDefault(c, NodeAdmin.trustFileName(c)), store.cliName())));
        } catch (AdminException e) {
            List<String> held = admin.trustFileNames(store);
            throw new AdminException(e.getMessage() + " (it holds: " + (held.isEmpty() ? "nothing" : String.join(", ", held)) + ")");
        }
    }

    /** OS Administration's "Download .PEM File" of a node's certificate: {@code <host>-<unit>.pem} in the working directory. */
    private void downloadCert(String unitName, Optional<String> target, Output o) throws AdminException {
        CertificateUnit unit = CertificateUnit.fromCli(unitName)
                .orElseThrow(() -> new IllegalArgumentException("Unknown certificate unit " + unitName));
        NodeAdmin admin = admin(target);
        String name = admin.hostname() + "-" + unit.cliName() + ".pem";
        Path file = inWorkingDirectory(name);
        try {
            AtomicFiles.write(FileOps.system(), file,
                    PemFiles.toPem(admin.certificate(unit)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new AdminException("Cannot write " + name + ": " + e.getMessage());
        }
        o.line("Downloading file: " + name);
    }

    /** Bulk Certificate Management ({@link BulkCertificates}), the shared folder being the working directory. */
    private void bulk(String operation, Output o) throws AdminException {
        Path folder = inWorkingDirectory(".");
        NodeAdmin admin = admin(Optional.empty());
        switch (operation) {
            case "export" -> {
                List<X509Certificate> certs = BulkCertificates.export(admin, folder);
                o.line("Successfully exported " + certs.size() + " TFTP certificate(s) of cluster " + cluster.spec().name()
                        + " to " + BulkCertificates.exportFile(folder, cluster).getFileName() + ".");
            }
            case "consolidate" -> {
                var exports = BulkCertificates.consolidate(admin, folder);
                o.line("Successfully consolidated the certificates of " + exports.size() + " clusters (" + String.join(", ", exports.keySet())
                        + ") into " + BulkCertificates.CONSOLIDATED + ".");
            }
            default -> {
                List<X509Certificate> imported = BulkCertificates.importConsolidated(admin, folder);
                o.line("Successfully imported " + imported.size() + " certificate(s) into CallManager-trust and Phone-SAST-trust.");
                imported.forEach(c -> o.line("  " + DistinguishedNames.format(c.getSubjectX500Principal(), NameStyle.CUCM)));
            }
        }
    }

    // ---- utils itl reset (seed 004) ------------------------------------------------------------------------

    private void remoteKey(List<String> args, Output o) throws AdminException {
        NodeAdmin admin = admin(Optional.empty());
        if (!admin.isPublisher()) {
            throw new AdminException(CucmText.NOT_PUBLISHER);
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("usage: utils itl reset remotekey <ITLRecovery.p12> [password]  or  <sftp-host> <user> <path>");
        }
        boolean sftpForm = args.size() >= 3;
        String path = sftpForm ? args.get(2) : args.get(0);
        Optional<String> password = !sftpForm && args.size() >= 2 ? Optional.of(args.get(1)) : Optional.empty();
        byte[] p12;
        Path file = inWorkingDirectory(path);
        if (Files.isDirectory(file)) {
            throw new AdminException(path + " is a folder, not a PKCS#12 file");
        }
        try {
            p12 = org.phoneemu.core.io.InputFiles.bytes(file, 1L << 20); // a PKCS#12 of one key: a few KB
        } catch (IOException e) {
            throw new AdminException("File not found: " + path);
        }
        itlReset(Optional.of(p12), password, sftpForm, o);
    }

    private void itlReset(Optional<byte[]> p12, Optional<String> password, boolean sftpForm, Output o) throws AdminException {
        NodeAdmin admin = admin(Optional.empty());
        if (!admin.isPublisher()) {
            throw new AdminException(CucmText.NOT_PUBLISHER);
        }
        if (sftpForm) {
            o.ask(CucmText.SFTP_PASSWORD_PROMPT, true, "");
            // Seed 004 prints these lines of CUCM's own debugging here, as they are.
            String ou = cluster.spec().subject().getOrDefault("OU", "tac");
            o.line("Processing token in else 0 " + ou);
            o.line("coutn is 1");
            o.line("Processing token in else 0 " + ou);
            o.line("coutn is 1");
            o.line("");
            o.line("");
            o.line("");
        }
        o.ask(CucmText.ADMIN_PASSWORD_PROMPT, true, "");
        o.line("");
        List<String> hosts;
        if (p12.isPresent()) {
            char[] pw = password.orElse(cluster.spec().securityPassword()).toCharArray();
            hosts = admin.resetItlRemoteKey(p12.get(), pw);
        } else {
            hosts = admin.resetItlLocalKey();
        }
        o.line(CucmText.LOCATING);
        o.line("");
        o.line(CucmText.TFTP_LIST);
        o.line("");
        o.line(CucmText.hostList(hosts));
        o.line(CucmText.RESET_GENERATED);
        o.line("");
        o.line("");
        o.line(CucmText.TRANSFERRING);
        String publisher = admin.hostname();
        for (String host : hosts) {
            if (!host.equals(publisher)) {
                o.line(CucmText.transferred(host));
            }
            o.line("");
            o.line(CucmText.restartingTftp(host));
            o.line(CucmText.restartedTftp(host));
        }
    }

    // ---- file get tftp ITLRecovery.p12 (seed 004) ----------------------------------------------------------

    private void fileGet(String name, Optional<String> directory, Output o) throws AdminException {
        if (!name.equalsIgnoreCase("ITLRecovery.p12")) {
            throw new AdminException(CucmText.FILE_NOT_FOUND);
        }
        byte[] p12 = admin(Optional.empty()).itlRecoveryP12();
        Path dir = inWorkingDirectory(directory.orElse(".")); // refused before CUCM's first line, not after the question
        o.line(CucmText.GATHERING);
        o.line(CucmText.NOT_TRAVERSED);
        o.line("Number of files affected: 1");
        o.line("Total size in Bytes: " + p12.length);
        o.line("Total size in Kbytes: " + (p12.length / 1024f));
        String answer = o.ask(CucmText.PROCEED, false, "y");
        if (!answer.trim().equalsIgnoreCase("y")) {
            return;
        }
        try {
            Files.createDirectories(dir);
            if (confined && !staysInside(dir)) { // a link put in the way while the question waited
                throw new AdminException("Executed command unsuccessfully\n" + directory.orElse(".")
                        + ": outside the working directory " + workingDirectory + " (ITLRecovery.p12 not written)");
            }
            AtomicFiles.write(FileOps.system(), dir.resolve("ITLRecovery.p12"), p12);
        } catch (IOException e) {
            throw new AdminException("Executed command unsuccessfully\n"
                    + (e instanceof java.nio.file.FileSystemException f ? org.phoneemu.core.io.FileProblem.describe(f) : "cannot write to " + dir)
                    + " (ITLRecovery.p12 not written)");
        }
        o.line("");
        o.line("Download directory: " + dir + "/");
        o.line("");
        o.line(".");
        o.line(CucmText.TRANSFER_COMPLETED);
        o.line("Downloading file: " + CucmText.P12_PATH);
    }

    private void fileList(Output o) {
        List<TftpFile> files = new ArrayList<>(cluster.files(node).files());
        for (TftpFile f : files) {
            o.line(f.name());
        }
        o.line("dir count = 0, file count = " + files.size());
    }

    // ---- services, restore, certificates -------------------------------------------------------------------

    private void restart(List<String> args, Output o) throws AdminException {
        String rest = String.join(" ", args);
        for (ClusterService s : ClusterService.values()) {
            if (rest.toLowerCase(Locale.ROOT).startsWith(s.displayName().toLowerCase(Locale.ROOT))) {
                String after = rest.substring(s.displayName().length()).trim();
                NodeAdmin admin = admin(after.isEmpty() ? Optional.empty() : Optional.of(after));
                admin.restartService(s);
                CucmText.serviceRestart(s.displayName()).forEach(o::line);
                return;
            }
        }
        throw new IllegalArgumentException("Unknown service: " + rest + " (Cisco Tftp, Cisco Trust Verification Service)");
    }

    private void restore(List<String> args, Output o) throws AdminException {
        List<String> a = new ArrayList<>(args);
        a.remove("local");
        boolean withoutKey = a.remove("without-callmanager-key");
        if (a.size() != 1) {
            throw new IllegalArgumentException("usage: utils disaster_recovery restore local <name> [without-callmanager-key]");
        }
        admin(Optional.empty()).restore(a.get(0), !withoutKey);
        o.line("Restore of " + a.get(0) + " completed" + (withoutKey ? " without the CallManager key (CSCtn50405)." : "."));
    }

    /**
     * {@code show cert list own|trust}: one line per certificate, {@code <unit>/<file>.pem: <description>} (the shape
     * scripts that read CUCM's output rely on; the descriptions are guessed, docs/CUCM-SIM.md). Trust: the MIC stores,
     * CallManager-trust then CAPF-trust, by the names {@code set cert delete} takes.
     */
    private void showCertList(String which, Optional<String> target, Output o) throws AdminException {
        NodeAdmin admin = admin(target);
        switch (which.toLowerCase(Locale.ROOT)) {
            case "own" -> {
                for (CertificateUnit u : CertificateUnit.values()) {
                    o.line(ownLine(u.cliName(), admin.certificate(u)));
                }
                o.line(ownLine("CAPF", admin.cluster().capfCertificate()));
            }
            case "trust" -> {
                for (MicTrustStore store : MicTrustStore.values()) {
                    for (String name : admin.trustFileNames(store)) {
                        o.line(store.cliName() + "/" + name + ": " + CucmText.TRUST_CERTIFICATE);
                    }
                }
            }
            default -> throw new IllegalArgumentException("usage: show cert list own|trust [node]");
        }
    }

    private static String ownLine(String unit, X509Certificate c) {
        boolean self = c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
        if (self) {
            return unit + "/" + unit + ".pem: " + CucmText.SELF_SIGNED_CERTIFICATE;
        }
        var rdns = org.bouncycastle.asn1.x500.X500Name.getInstance(c.getIssuerX500Principal().getEncoded())
                .getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        String issuer = rdns.length == 0 ? c.getIssuerX500Principal().getName()
                : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(rdns[0].getFirst().getValue());
        return unit + "/" + unit + ".pem: " + CucmText.signedCertificate(issuer);
    }

    private void showCert(String unitName, Optional<String> target, Output o) {
        String u = unitName.contains("/") ? unitName.substring(0, unitName.indexOf('/')) : unitName;
        CertificateUnit unit = CertificateUnit.fromCli(u)
                .orElseThrow(() -> new IllegalArgumentException("Unknown certificate unit " + unitName));
        X509Certificate c = admin(target).certificate(unit);
        o.line("[");
        o.line("  Subject: " + DistinguishedNames.format(c.getSubjectX500Principal(), NameStyle.CUCM));
        o.line("  Issuer: " + DistinguishedNames.format(c.getIssuerX500Principal(), NameStyle.CUCM));
        o.line("  SerialNumber: " + Certificates.serialDisplay(Certificates.serialBytes(c.getSerialNumber())));
        o.line("  Validity: From: " + c.getNotBefore().toInstant() + " To: " + c.getNotAfter().toInstant());
        o.line("  SHA1: " + Certificates.sha1Hex(c));
        o.line("]");
        o.text(PemFiles.toPem(c));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private NodeAdmin admin(Optional<String> target) {
        return cluster.admin(target.orElse(node));
    }

    private static List<String> words(String line) {
        String t = line == null ? "" : line.trim();
        if (t.startsWith(PROMPT)) {
            t = t.substring(PROMPT.length()).trim();
        }
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    private static String arg(List<String> w, int i, String usage) {
        if (i >= w.size() || i < 0) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return w.get(i);
    }

    private static Optional<String> optional(List<String> w, int i) {
        return i < w.size() ? Optional.of(w.get(i)) : Optional.empty();
    }

    private static boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false, not " + s);
        };
    }

    /** The transcript: lines, and questions with their answers as a terminal shows them. */
    private final class Output {
        private final Appendable out;
        /** Set when a command refuses without an exception (the hold timer, an unknown command). */
        private String refusal = "";

        Output(Appendable out) {
            this.out = out;
        }

        void line(String s) {
            text(s + "\n");
        }

        void text(String s) {
            try {
                out.append(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String ask(String question, boolean secret, String suggested) {
            text(question);
            String answer = prompter.answer(question, secret, suggested);
            line(secret ? "" : answer);
            return answer == null ? "" : answer;
        }
    }
}
