package org.phoneemu.cucm;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.phoneemu.core.testing.RequiredPeer;

/**
 * The interop peers the tests drive (curl, openssl). Missing one skips the test on a workstation; with CI=true it
 * fails the run, so a green CI always means the peers were really there.
 */
final class ExternalTools {
    private ExternalTools() {
    }

    static void require(String tool) {
        boolean present;
        try {
            Process p = new ProcessBuilder(tool, tool.equals("openssl") ? "version" : "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        RequiredPeer.require(present, tool);
    }

    /** Runs a command; returns its exit code and output (stdout and stderr together). */
    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command, byte[] stdin, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
