package org.phoneemu.core.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.phoneemu.core.config.ConfigException;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.flash.Flash;
import org.phoneemu.core.io.PemFile;
import org.phoneemu.core.pki.KeyMaterial;
import org.phoneemu.core.pki.PemFiles;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.TrustList;
import org.phoneemu.core.trustlist.TrustListKind;

/**
 * A phone's flash: {@code CTLFile.tlv} and {@code ITLFile.tlv} exactly as downloaded, the MIC and optional LSC
 * ({@code mic.pem}, {@code lsc.pem}), the last accepted configuration ({@code config.cnf.xml}) and the status
 * messages. Every write is atomic ({@link AtomicFiles}). On load, a file that does not parse or verify is
 * treated as absent, reported, and moved aside as {@code <name>.corrupt-<millis>} for inspection.
 */
public final class TrustStore implements Flash {
    public static final String CTL = "CTLFile.tlv";
    public static final String ITL = "ITLFile.tlv";
    public static final String CONFIG = "config.cnf.xml";
    public static final String MIC = "mic.pem";
    public static final String LSC = "lsc.pem";
    public static final String STATUS = "status-messages.txt";

    private final Path dir;
    private final FileOps ops;
    private final Clock clock;
    private final ConsoleLog log;
    private final StatusMessages status;
    private final boolean readOnly;
    private final List<String> unusable = new ArrayList<>();
    // Read and written on the phone's executor only: the TVS server check on Netty threads gets an immutable
    // snapshot of the lists (InstalledTrust), never this store.
    private InstalledTrust trust = InstalledTrust.NONE;
    private PhoneConfig config;
    private byte[] configXml;
    private PhoneIdentity identity;
    private Optional<KeyMaterial> lscOnFlash = Optional.empty();
    /** Says whether the calling thread is the phone's executor (see {@link #confineWritesTo}); anywhere by default. */
    private volatile java.util.function.BooleanSupplier onOwner = () -> true;

    private TrustStore(Path dir, FileOps ops, Clock clock, ConsoleLog log, StatusMessages status, boolean readOnly) {
        this.readOnly = readOnly;
        this.dir = dir;
        this.ops = ops;
        this.clock = clock;
        this.log = log;
        this.status = status;
    }

    /**
     * A flash held in memory only, for large fleets: it starts empty, keeps what is installed in this object and
     * writes nothing to disk (so it is not crash-safe, and a new process starts from a factory-new phone).
     */
    public static TrustStore inMemory(String name, Clock clock, ConsoleLog log, StatusMessages status) {
        return new TrustStore(Path.of("memory:" + name), FileOps.none(), clock, log, status, false);
    }

    /** Opens (creating if needed) the store in {@code dir} and loads what it holds. */
    public static TrustStore open(Path dir, FileOps ops, Clock clock, ConsoleLog log, StatusMessages status) throws IOException {
        Files.createDirectories(dir);
        TrustStore s = new TrustStore(dir, ops, clock, log, status, false);
        s.load();
        return s;
    }

    /**
     * Reads the store in {@code dir} for a menu that only shows it: nothing on flash changes (no file is moved aside,
     * no status message is added, no incomplete write removed); an unusable file is treated as absent and listed in
     * {@link #unusableFiles()}. Every write method fails.
     */
    public static TrustStore read(Path dir, Clock clock, ConsoleLog log, StatusMessages status) throws IOException {
        TrustStore s = new TrustStore(dir, FileOps.system(), clock, log, status, true);
        s.load();
        return s;
    }

    /** Whether {@code dir} holds a phone's flash: at least one of the files a phone writes there. */
    public static boolean isFlash(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (String name : List.of(MIC, LSC, CTL, ITL, CONFIG, STATUS)) {
            if (Files.exists(dir.resolve(name))) {
                return true;
            }
        }
        return false;
    }

    /** Files found unusable by {@link #read} (e.g. {@code "ITLFile.tlv: its signature does not verify"}). */
    public List<String> unusableFiles() {
        return List.copyOf(unusable);
    }

    private void load() throws IOException {
        if (!readOnly) {
            removeTempFiles();
        }
        loadStatus();
        Optional<TrustList> ctl = loadTrustList(CTL);
        Optional<TrustList> itl = loadTrustList(ITL);
        trust = new InstalledTrust(ctl, itl);
        loadConfig();
        loadIdentity();
    }

    private void removeTempFiles() throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*" + AtomicFiles.TEMP_SUFFIX)) {
            for (Path p : s) {
                log.warn("SECD: flash: removing incomplete write " + p.getFileName());
                ops.delete(p);
            }
        }
    }

    private Optional<TrustList> loadTrustList(String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(p);
        try {
            TrustList list = TrustList.parse(bytes, name.equals(CTL) ? TrustListKind.CTL : TrustListKind.ITL);
            if (list.verifiesItself()) {
                return Optional.of(SharedTrustLists.share(list));
            }
            moveAside(p, "its signature does not verify");
        } catch (MalformedFileException e) {
            moveAside(p, e.getMessage());
        }
        return Optional.empty();
    }

    private void loadConfig() throws IOException {
        Path p = dir.resolve(CONFIG);
        if (!Files.isRegularFile(p)) {
            return;
        }
        byte[] xml = Files.readAllBytes(p);
        try {
            config = PhoneConfigParser.parse(xml);
            configXml = xml;
        } catch (ConfigException e) {
            moveAside(p, e.getMessage());
        }
    }

    private void loadIdentity() throws IOException {
        // The LSC is read even without a MIC: a user may place lsc.pem on a new phone's flash, and it must survive
        // the MIC being generated on first start.
        Path l = dir.resolve(LSC);
        if (Files.isRegularFile(l)) {
            try {
                lscOnFlash = Optional.of(PemFile.readWithKey(l));
            } catch (PemFiles.PemException e) {
                moveAside(l, e.getMessage());
            }
        }
        Path mic = dir.resolve(MIC);
        if (!Files.isRegularFile(mic)) {
            return;
        }
        try {
            identity = new PhoneIdentity(PemFile.readWithKey(mic), lscOnFlash);
        } catch (PemFiles.PemException e) {
            moveAside(mic, e.getMessage());
        }
    }

    /** The LSC on flash ({@code lsc.pem}), whether or not a MIC is there yet. */
    public Optional<KeyMaterial> lscOnFlash() {
        return lscOnFlash;
    }

    private void loadStatus() throws IOException {
        Path p = dir.resolve(STATUS);
        if (!Files.isRegularFile(p)) {
            return;
        }
        List<StatusMessages.Message> saved = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                try {
                    saved.add(new StatusMessages.Message(Instant.ofEpochMilli(Long.parseLong(line.substring(0, tab))), line.substring(tab + 1)));
                } catch (NumberFormatException e) {
                    // A damaged line is skipped; the rest of the messages are still shown.
                }
            }
        }
        status.restore(saved);
    }

    private void moveAside(Path p, String why) throws IOException {
        if (readOnly) {
            unusable.add(p.getFileName() + ": " + why);
            return;
        }
        Path aside = p.resolveSibling(p.getFileName() + ".corrupt-" + clock.millis());
        ops.move(p, aside);
        ops.fsyncDirectory(dir);
        log.error("SECD: flash: " + p.getFileName() + " is unusable (" + why + "); kept aside as " + aside.getFileName());
        status.add(p.getFileName() + " on flash is corrupt");
    }

    public Path directory() {
        return dir;
    }

    @Override
    public InstalledTrust trust() {
        return trust;
    }

    @Override
    public Optional<PhoneConfig> config() {
        return Optional.ofNullable(config);
    }

    @Override
    public Optional<byte[]> configXml() {
        return Optional.ofNullable(configXml).map(byte[]::clone);
    }

    @Override
    public Optional<PhoneIdentity> identity() {
        return Optional.ofNullable(identity);
    }

    /** Writes an accepted trust list's bytes, exactly as downloaded. */
    @Override
    public void install(TrustList list) throws IOException {
        writable();
        String name = list.kind() == TrustListKind.CTL ? CTL : ITL;
        AtomicFiles.write(ops, dir.resolve(name), list.file().bytes());
        TrustList shared = SharedTrustLists.share(list);
        trust = list.kind() == TrustListKind.CTL ? trust.withCtl(shared) : trust.withItl(shared);
    }

    @Override
    public void erase(TrustListKind kind) throws IOException {
        writable();
        AtomicFiles.delete(ops, dir.resolve(kind == TrustListKind.CTL ? CTL : ITL));
        trust = kind == TrustListKind.CTL ? new InstalledTrust(Optional.empty(), trust.itl())
                : new InstalledTrust(trust.ctl(), Optional.empty());
    }

    @Override
    public void saveConfig(PhoneConfig accepted, byte[] xml) throws IOException {
        writable();
        AtomicFiles.write(ops, dir.resolve(CONFIG), xml);
        config = accepted;
        configXml = xml.clone();
    }

    @Override
    public void saveIdentity(PhoneIdentity id) throws IOException {
        writable();
        AtomicFiles.write(ops, dir.resolve(MIC), pem(id.mic()));
        // An identity without an LSC leaves lsc.pem alone: only a factory reset removes the user's key.
        if (id.lsc().isPresent()) {
            AtomicFiles.write(ops, dir.resolve(LSC), pem(id.lsc().get()));
            lscOnFlash = id.lsc();
        }
        identity = id;
    }

    /**
     * Installs an LSC issued over CAPF: key and certificate go to {@code lsc.pem} in one atomic write, so the flash
     * holds either the old LSC or the new one, never a key without its certificate. Needs the MIC to be there.
     */
    @Override
    public void saveLsc(KeyMaterial lsc) throws IOException {
        assert onOwner.getAsBoolean() : offOwner("saveLsc");
        if (identity == null) {
            throw new IllegalStateException("the flash holds no MIC; create the phone's identity first");
        }
        if (lsc.privateKey() == null) {
            throw new IllegalArgumentException("an LSC without its private key cannot be installed");
        }
        AtomicFiles.write(ops, dir.resolve(LSC), pem(lsc));
        identity = new PhoneIdentity(identity.mic(), java.util.Optional.of(lsc));
    }

    @Override
    public void deleteLsc() throws IOException {
        assert onOwner.getAsBoolean() : offOwner("deleteLsc");
        AtomicFiles.delete(ops, dir.resolve(LSC));
        if (identity != null) {
            identity = identity.withoutLsc();
        }
    }

    @Override
    public void confineWritesTo(java.util.function.BooleanSupplier onOwner) {
        this.onOwner = java.util.Objects.requireNonNull(onOwner);
    }

    private static String offOwner(String call) {
        return "flash " + call + " off the phone's executor, on thread " + Thread.currentThread().getName();
    }

    @Override
    public void saveStatus() throws IOException {
        writable();
        StringBuilder sb = new StringBuilder();
        for (StatusMessages.Message m : status.all()) {
            sb.append(m.time().toEpochMilli()).append('\t').append(m.text().replace('\n', ' ')).append('\n');
        }
        AtomicFiles.write(ops, dir.resolve(STATUS), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Factory reset: trust lists, config, LSC and status messages go; the MIC stays (it is manufacturer-installed). */
    @Override
    public void factoryReset() throws IOException {
        writable();
        for (String name : List.of(CTL, ITL, CONFIG, LSC, STATUS)) {
            AtomicFiles.delete(ops, dir.resolve(name));
        }
        trust = InstalledTrust.NONE;
        config = null;
        configXml = null;
        if (identity != null) {
            identity = identity.withoutLsc();
        }
        lscOnFlash = Optional.empty();
        status.clear();
    }

    private void writable() throws IOException {
        if (readOnly) {
            throw new IOException(dir + " was opened read-only");
        }
    }

    private static byte[] pem(KeyMaterial k) {
        java.util.List<Object> parts = new java.util.ArrayList<>();
        parts.add(k.privateKey());
        parts.addAll(k.chain()); // a MIC's intermediate after it, so the phone presents it again after a restart
        return PemFiles.toPem(parts.toArray()).getBytes(StandardCharsets.US_ASCII);
    }
}
