package org.phoneemu.core.console;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A phone's console log: lines with the real phone's wording (seeds {@code 001}/{@code 003}, docs/TRUST-RULES.md
 * Sources), timestamped from
 * the injected clock, numbered, kept in a bounded buffer and mirrored to SLF4J (logger {@code phone.console}).
 * Callers pass the text after the time column, e.g. {@code "SECD: verifyFile: verify SUCCESS"}.
 */
public final class ConsoleLog {
    private static final Logger LOG = LoggerFactory.getLogger("phone.console");
    public static final int DEFAULT_CAPACITY = 10_000;

    private final String owner;
    private final Clock clock;
    private final int capacity;
    private final Deque<ConsoleLine> lines = new ArrayDeque<>();
    private final List<Consumer<ConsoleLine>> listeners = new ArrayList<>();
    private long sequence;

    public ConsoleLog(String owner, Clock clock) {
        this(owner, clock, DEFAULT_CAPACITY);
    }

    public ConsoleLog(String owner, Clock clock, int capacity) {
        this.owner = owner;
        this.clock = clock;
        this.capacity = capacity;
    }

    /** The phone's clock, which stamps its lines: the TLS clients judge server certificates' end dates on it. */
    public Clock clock() {
        return clock;
    }

    public ConsoleLine notice(String text) {
        return add(Severity.NOT, text);
    }

    public ConsoleLine warn(String text) {
        return add(Severity.WRN, text);
    }

    public ConsoleLine error(String text) {
        return add(Severity.ERR, text);
    }

    public synchronized ConsoleLine add(Severity severity, String text) {
        ConsoleLine line = new ConsoleLine(++sequence, clock.instant(), severity, text);
        lines.addLast(line);
        if (lines.size() > capacity) {
            lines.removeFirst();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] {}", owner, line.format(clock.getZone()));
        }
        for (Consumer<ConsoleLine> l : listeners) {
            l.accept(line);
        }
        return line;
    }

    /** Called for every new line (e.g. to print a phone's log live). */
    public synchronized void subscribe(Consumer<ConsoleLine> listener) {
        listeners.add(listener);
    }

    public synchronized List<ConsoleLine> lines() {
        return List.copyOf(lines);
    }

    /** The lines formatted as the phone prints them. */
    public synchronized List<String> formatted() {
        return lines.stream().map(l -> l.format(clock.getZone())).toList();
    }

    /** True when some line's text contains {@code fragment}. */
    public synchronized boolean contains(String fragment) {
        return lines.stream().anyMatch(l -> l.text().contains(fragment));
    }

    public String owner() {
        return owner;
    }
}
