package org.phoneemu.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.util.Optional;
import org.phoneemu.core.io.FileProblem;
import org.phoneemu.core.text.TerminalText;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code phone-emu} command: entry point of the headless phone, its tools and the simulated cluster. */
@Command(name = "phone-emu",
        mixinStandardHelpOptions = true,
        version = "phone-emu 0.1.0",
        description = "The open, headless Cisco IP phone: trust lists, signed and encrypted configs, TVS.",
        subcommands = {LabCommand.class, FleetCommand.class, BenchCommand.class, BootCommand.class, ScenarioCommand.class, PhoneMenuCommand.class, CucmCommand.class,
                TvsVerifyCommand.class, CapfCommand.class, AuditCommand.class, PredictCommand.class, DumpCommand.class, VerifyCommand.class, DecryptCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:refused (verification or decryption failed)", "2:bad input or usage", "3:internal error (a bug)", "4:fleet stopped early (signal or --max-duration); report complete"})
public final class PhoneEmu implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Exit code of a command whose file was refused (bad signature, wrong key). */
    public static final int REFUSED = 1;
    /** Exit code for malformed input, missing files and usage errors. */
    public static final int BAD_INPUT = 2;
    /**
     * Exit code of a fleet stopped early (SIGTERM, SIGINT, its --max-duration): its report is complete, with the
     * phones that did not finish marked; distinct from 1 so that a job controller can tell "ran, some phones failed"
     * from "cut short".
     */
    public static final int STOPPED = 4;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Before any TLS context exists: lets an Authenticated phone offer NULL-SHA (docs/SIP.md §5); no default suite
        // list gains a NULL suite, so only the engines that name one can use it.
        org.phoneemu.tls.client.NullSuites.allowInThisJvm();
        System.exit(run(args, new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /**
     * Runs the CLI with the given streams; used by {@link #main} and by tests. Everything every command prints goes
     * through {@link TerminalText}: a value from a file or a server cannot act on the user's terminal.
     */
    public static int run(String[] args, PrintWriter rawOut, PrintWriter rawErr) {
        PrintWriter out = new PrintWriter(TerminalText.escaping(rawOut), true);
        PrintWriter err = new PrintWriter(TerminalText.escaping(rawErr), true);
        CommandLine cmd = new CommandLine(new PhoneEmu());
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserError u) {
                commandLine.getErr().println("phone-emu: " + TerminalText.line(u.getMessage()));
                return u.exitCode();
            }
            // A file or folder the user named that could not be used, wherever it surfaced: their mistake, not a bug.
            Optional<FileSystemException> fs = fileSystemCause(ex);
            if (fs.isPresent()) {
                commandLine.getErr().println("phone-emu: " + TerminalText.line(FileProblem.describe(fs.get())));
                return BAD_INPUT;
            }
            // A bug, not a user error: still one line, with a hint to get the trace.
            commandLine.getErr().println("phone-emu: internal error: " + TerminalText.line(String.valueOf(ex)));
            if (System.getenv("PHONE_EMU_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("phone-emu: set PHONE_EMU_DEBUG=1 for the stack trace");
            }
            return 3;
        });
        cmd.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            // An option's own check (a --wait duration) failed while picocli applied it: its words, not picocli's wrapper.
            for (Throwable t = ex; t != null; t = t.getCause()) {
                if (t instanceof UserError u) {
                    c.getErr().println("phone-emu: " + TerminalText.line(u.getMessage()));
                    return u.exitCode();
                }
            }
            // One line, as for every other mistake.
            c.getErr().println("phone-emu: " + TerminalText.line(ex.getMessage()) + " (try '" + c.getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        return cmd.execute(args);
    }

    private static Optional<FileSystemException> fileSystemCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException f) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
