package org.phoneemu.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The attack at the file descriptor limit, in a child process whose limit is low ({@code ulimit -n 128}):
 * connections beyond what it can accept made Netty's accept loop fail on every try, each failure a WARN with its
 * stack trace at the end of the pipeline (486 KB of them in 130 s). With {@link AcceptGuard} the failure is one line
 * without a trace, accepting pauses, and the server answers again once the connections are gone.
 */
class AcceptGuardTest {
    private static final int CONNECTIONS = 300;

    @Test
    void acceptFailuresAreOneLineWithoutATraceAndTheServerRecovers() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "ulimit -n 128 && exec '" + java + "' -Xmx128m -cp '" + System.getProperty("java.class.path") + "' "
                + HttpServerUnderFdLimit.class.getName();
        Process child = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
            port.completeExceptionally(new AssertionError("the child ended without a port: " + output));
        });
        reader.start();
        List<Socket> flood = new ArrayList<>();
        try {
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", port.get(2, TimeUnit.MINUTES));
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket s = new Socket();
                s.connect(server, 10_000); // the kernel completes the handshake; the child accepts what it can
                flood.add(s);
            }
            LoopbackClient.waitFor(() -> output.stream().anyMatch(l -> l.contains("cannot accept a connection")), "an accept failure logged");
            for (Socket s : flood) {
                s.close();
            }
            flood.clear();
            LoopbackClient.waitFor(() -> answers(server), "an answer after the flood; the child said:\n" + output);
            long accepting = output.stream().filter(l -> l.contains("cannot accept a connection")).count();
            assertThat(accepting).as(String.join("\n", output)).isEqualTo(1L);
            assertThat(output).as("no stack trace").noneMatch(l -> l.startsWith("\tat ") || l.contains("reached at the tail of the pipeline"));
            assertThat(String.join("\n", output).length()).isLessThan(8 * 1024);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            reader.join(10_000);
        }
        // The child ran to its end; its log window never closed, so any other failure of the flood was counted, not logged.
        assertThat(output).as("the child's count of failures not logged").anySatisfy(l -> assertThat(l).matches("SUPPRESSED [0-9]+"));
    }

    private static boolean answers(InetSocketAddress server) {
        try (Socket s = new Socket()) {
            s.connect(server, 5_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }
}
