package org.phoneemu.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real CLI entry point in-process and captures what it prints, for tests. */
public final class Cli {
    /** Exit code and what went to stdout and stderr. */
    public record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PhoneEmu.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
