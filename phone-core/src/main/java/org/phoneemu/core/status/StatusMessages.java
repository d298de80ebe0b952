package org.phoneemu.core.status;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Settings &gt; Status &gt; Status Messages: what the user sees ("Trust List Updated", "Trust List Update
 * Failed", "File Auth Fail: …"), newest last, bounded as on the phone.
 */
public final class StatusMessages {
    public static final String TRUST_LIST_UPDATED = "Trust List Updated";
    public static final String TRUST_LIST_UPDATE_FAILED = "Trust List Update Failed";
    public static final String FILE_AUTH_FAIL = "File Auth Fail";
    public static final String DECRYPT_FAIL = "Decryption Failed";
    /** A config applied without the fields it could not use (an invalid URL, a port out of range); our wording. */
    public static final String CONFIG_FIELD_REFUSED = "Config Field Refused";
    public static final int CAPACITY = 100;

    /** How the phone shows a message's time: the time of day only ({@code 20:16:01 Trust List Update Failed}). */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** One status message with the time it was added. */
    public record Message(Instant time, String text) {
        /** The line as Settings &gt; Status &gt; Status Messages and the phone's web page show it. */
        public String display(ZoneId zone) {
            return timeOfDay(zone) + " " + text;
        }

        /** The time as the phone shows it beside the message: {@code HH:mm:ss}, no date. */
        public String timeOfDay(ZoneId zone) {
            return TIME.withZone(zone).format(time);
        }
    }

    private final Clock clock;
    private final Deque<Message> messages = new ArrayDeque<>();

    public StatusMessages(Clock clock) {
        this.clock = clock;
    }

    public synchronized Message add(String text) {
        Message m = new Message(clock.instant(), text);
        messages.addLast(m);
        if (messages.size() > CAPACITY) {
            messages.removeFirst();
        }
        return m;
    }

    /** Restores messages read back from flash. */
    public synchronized void restore(List<Message> saved) {
        messages.clear();
        saved.forEach(messages::addLast);
        while (messages.size() > CAPACITY) {
            messages.removeFirst();
        }
    }

    public synchronized List<Message> all() {
        return List.copyOf(messages);
    }

    public synchronized boolean contains(String text) {
        return messages.stream().anyMatch(m -> m.text().contains(text));
    }

    public synchronized java.util.Optional<Message> last() {
        return java.util.Optional.ofNullable(messages.peekLast());
    }

    public synchronized void clear() {
        messages.clear();
    }
}
