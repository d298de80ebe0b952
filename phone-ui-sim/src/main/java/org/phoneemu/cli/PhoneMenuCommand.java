package org.phoneemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.phoneemu.core.console.ConsoleLog;
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

        SecurityDaemon open(StatusMessages status) {
            if (!Files.isDirectory(dir)) {
                throw new UserError(PhoneEmu.BAD_INPUT, dir + ": no such phone state directory");
            }
            Clock clock = Clock.systemDefaultZone();
            ConsoleLog log = new ConsoleLog(dir.getFileName().toString(), clock);
            try {
                TrustStore store = TrustStore.open(dir, FileOps.system(), clock, log, status);
                return new SecurityDaemon(store, clock, log, status);
            } catch (IOException e) {
                throw new UserError(PhoneEmu.BAD_INPUT, dir + ": cannot read: " + e.getMessage());
            }
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
            SecurityDaemon secd = flash.open(status);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Trust state: " + secd.state().description());
            out.println("Status Messages:");
            DateTimeFormatter f = DateTimeFormatter.ofPattern("MM/dd/yy HH:mm:ss").withZone(ZoneId.systemDefault());
            for (StatusMessages.Message m : status.all()) {
                out.println("  " + f.format(m.time()) + "  " + m.text());
            }
            if (status.all().isEmpty()) {
                out.println("  (none)");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "trust-list", mixinStandardHelpOptions = true,
            description = "Settings > Security Configuration > Trust List: the CTL and ITL with their MD5, signer and records.")
    static final class TrustListMenu implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        Flash flash;

        @Override
        public Integer call() {
            SecurityDaemon secd = flash.open(new StatusMessages(Clock.systemUTC()));
            PrintWriter out = spec.commandLine().getOut();
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
