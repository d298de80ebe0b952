package org.phoneemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.io.FileProblem;
import org.phoneemu.core.pki.Certificates;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.store.FileOps;
import org.phoneemu.core.store.TrustStore;
import org.phoneemu.core.trust.MenuResult;
import org.phoneemu.core.trust.SecurityDaemon;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;
import org.phoneemu.core.trustlist.TrustRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "phone", mixinStandardHelpOptions = true,
        description = "A phone's menus on its state directory (flash), as left by 'boot --state DIR' or 'lab'.",
        subcommands = {PhoneMenuCommand.Status.class, PhoneMenuCommand.TrustListMenu.class, PhoneMenuCommand.EraseItl.class,
                PhoneMenuCommand.EraseCtl.class, PhoneMenuCommand.FactoryReset.class})
final class PhoneMenuCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Flash {
        @Option(names = "--state", required = true, paramLabel = "DIR", description = "the phone's state directory")
        Path dir;

        /** The phone's flash for a menu that changes it (erase, factory reset). */
        SecurityDaemon open(StatusMessages status) {
            return daemon(status, false);
        }

        /** The phone's flash for a menu that only shows it: nothing on it changes. */
        SecurityDaemon read(StatusMessages status) {
            return daemon(status, true);
        }

        private SecurityDaemon daemon(StatusMessages status, boolean readOnly) {
            if (!Files.exists(dir)) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--state " + dir + ": no such folder");
            }
            if (!Files.isDirectory(dir)) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--state " + dir + ": is a file, not a phone's flash folder");
            }
            if (!TrustStore.isFlash(dir)) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--state " + dir
                        + ": not a phone's flash (none of mic.pem, ITLFile.tlv, CTLFile.tlv, config.cnf.xml, status-messages.txt)");
            }
            Clock clock = Clock.systemDefaultZone();
            ConsoleLog log = new ConsoleLog(dir.getFileName().toString(), clock);
            try {
                TrustStore store = readOnly ? TrustStore.read(dir, clock, log, status)
                        : TrustStore.open(dir, FileOps.system(), clock, log, status);
                unusable = store.unusableFiles();
                return new SecurityDaemon(store, clock, log, status);
            } catch (IOException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, "--state " + (e instanceof java.nio.file.FileSystemException f
                        ? FileProblem.describe(f) : dir + ": " + e.getMessage()));
            }
        }

        private java.util.List<String> unusable = java.util.List.of();

        /** Files of the flash a read found unusable: shown, never moved (the next boot moves them aside). */
        void noteUnusable(PrintWriter out) {
            unusable.forEach(u -> out.println("Unusable on flash (ignored): " + u));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Settings > Status > Status Messages, and the trust state.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Flash flash;

        @Override
        public Integer call() {
            StatusMessages status = new StatusMessages(Clock.systemUTC());
            SecurityDaemon secd = flash.read(status);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Trust state: " + secd.state().description());
            flash.noteUnusable(out);
            out.println("Status Messages:");
            for (StatusMessages.Message m : status.all()) {
                out.println("  " + m.display(ZoneId.systemDefault()));
            }
            if (status.all().isEmpty()) {
                out.println("  (none)");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "trust-list", mixinStandardHelpOptions = true,
            description = "Settings > Security Configuration > Trust List: the CTL and ITL with their MD5 (and SHA-1, as show itl prints it), signer and records.")
    static final class TrustListMenu implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Flash flash;

        @Override
        public Integer call() {
            SecurityDaemon secd = flash.read(new StatusMessages(Clock.systemUTC()));
            PrintWriter out = spec.commandLine().getOut();
            flash.noteUnusable(out);
            print(out, "CTL File", secd.trust().ctl());
            print(out, "ITL File", secd.trust().itl());
            out.flush();
            return 0;
        }

        static void print(PrintWriter out, String title, Optional<TrustList> list) {
            if (list.isEmpty()) {
                out.println(title + ": Not Installed");
                return;
            }
            TrustList l = list.get();
            out.println(title + ": " + l.file().md5Hex().toUpperCase() + (l.isBlank() ? " (rollback: blank records)" : ""));
            // CUCM's show itl and the phones' DeviceTLInfo report give the SHA-1 too: the one to compare with them.
            out.println("  SHA1: " + l.file().sha1Hex());
            out.println("  Signer: " + l.file().signer().name() + ", serial "
                    + Certificates.serialDisplay(l.file().signer().serial().toArray()));
            for (TrustRecord r : l.records()) {
                out.println("  " + r.index() + ". " + r.roleName() + ": " + (r.subjectName().isEmpty() ? "(blank)" : r.subjectName())
                        + (r.serial().isEmpty() ? "" : ", serial " + Certificates.serialDisplay(r.serial().toArray()))
                        + (r.certificateDer().isPresent() ? "" : r.certHash().isPresent() ? " (hash only)" : ""));
            }
        }
    }

    abstract static class MenuAction implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Flash flash;

        abstract MenuResult act(SecurityDaemon secd);

        @Override
        public Integer call() {
            MenuResult r = act(flash.open(new StatusMessages(Clock.systemUTC())));
            if (r instanceof MenuResult.Done d) {
                spec.commandLine().getOut().println(d.message());
                spec.commandLine().getOut().flush();
                return 0;
            }
            throw new UserError(PhoneEmu.REFUSED, ((MenuResult.Refused) r).reason());
        }
    }

    @Command(name = "erase-itl", mixinStandardHelpOptions = true,
            description = "Erase the ITL from the Trust List menu (refused when the config's settingsAccess is 0).")
    static final class EraseItl extends MenuAction {
        @Override
        MenuResult act(SecurityDaemon secd) {
            return secd.erase(TrustListKind.ITL);
        }
    }

    @Command(name = "erase-ctl", mixinStandardHelpOptions = true,
            description = "Erase the CTL from the Trust List menu (refused when the config's settingsAccess is 0).")
    static final class EraseCtl extends MenuAction {
        @Override
        MenuResult act(SecurityDaemon secd) {
            return secd.erase(TrustListKind.CTL);
        }
    }

    @Command(name = "factory-reset", mixinStandardHelpOptions = true,
            description = "Factory reset: trust lists, configuration, LSC and status messages are erased.")
    static final class FactoryReset extends MenuAction {
        @Override
        MenuResult act(SecurityDaemon secd) {
            return secd.factoryReset();
        }
    }
}
