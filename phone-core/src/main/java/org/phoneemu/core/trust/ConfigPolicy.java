package org.phoneemu.core.trust;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.phoneemu.core.config.ConfigException;
import org.phoneemu.core.config.PhoneConfig;
import org.phoneemu.core.config.PhoneConfigParser;
import org.phoneemu.core.console.ConsoleLog;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.encryption.DecryptionException;
import org.phoneemu.core.encryption.EncryptedConfig;
import org.phoneemu.core.pki.PhoneIdentity;
import org.phoneemu.core.signedfile.MalformedFileException;
import org.phoneemu.core.signedfile.SignedFile;
import org.phoneemu.core.status.StatusMessages;
import org.phoneemu.core.trustlist.InstalledTrust;
import org.phoneemu.core.trustlist.SignerCheck;
import org.phoneemu.core.trustlist.SignerVerdict;

/**
 * Which configuration files to fetch, in order, and whether a downloaded one is applied (docs/TRUST-RULES.md §4).
 * A secure phone (CTL or non-rollback ITL) only takes configs signed by a CCM+TFTP/TFTP record of its CTL or ITL,
 * and never falls back to an unsigned file (no downgrade).
 */
final class ConfigPolicy {
    /** Fallback when the device has no config of its own (only while not secure). */
    public static final String DEFAULT_CONFIG = "XMLDefault.cnf.xml";

    private final ConsoleLog log;
    private final StatusMessages status;
    private final Clock clock;

    /** @param clock the phone's clock, against which the signer's end date is judged ({@link ExpiredSigner}) */
    public ConfigPolicy(ConsoleLog log, StatusMessages status, Clock clock) {
        this.log = log;
        this.status = status;
        this.clock = clock;
    }

    public static String plainName(String mac) {
        return new Mac(mac).deviceName() + ".cnf.xml";
    }

    /**
     * The config files to request from {@code tftpServer}, in order (a missing file moves to the next name),
     * logging the real phone's tftpClient lines. A secure phone asks for its signed config only; a phone that
     * is not secure asks for its own plain config, then {@link #DEFAULT_CONFIG}.
     */
    public List<String> configFileNames(InstalledTrust trust, String mac, String tftpServer) {
        String plain = plainName(mac);
        log.notice("tftpClient: tftp request rcv'd from /usr/tmp/tftp, srcFile = " + plain + ", dstFile = /usr/ram/" + plain
                + " max size = " + PhoneConfigParser.MAX_SIZE);
        log.notice("tftpClient: auth server - tftpList[0] = ::ffff:" + tftpServer);
        log.notice("tftpClient: look up server - 0");
        if (trust.secure()) {
            log.notice("SECD: lookupCTL: TFTP SRVR secure");
            log.notice("tftpClient: secVal = 0x9");
            log.notice("tftpClient: ::ffff:" + tftpServer + " is a secure server");
            log.notice("tftpClient: retval = SRVR_SECURE");
            log.notice("tftpClient: Secure file requested");
            log.notice("tftpClient: authenticated file approved - add .sgn -- " + plain + ".sgn");
            // A phone the cluster does not know takes the signed default, verified like any signed config.
            return List.of(plain + ".sgn", DEFAULT_CONFIG + ".sgn");
        }
        log.notice("SECD: lookupCTL: TFTP SRVR not secure");
        log.notice("tftpClient: retval = SRVR_NOT_SECURE");
        return List.of(plain, DEFAULT_CONFIG);
    }

    /** Decides on a downloaded config file named {@code fileName}. */
    public ConfigOutcome offer(InstalledTrust trust, String fileName, byte[] bytes, PhoneIdentity identity) {
        boolean signed = fileName.endsWith(".sgn");
        if (!signed) {
            if (trust.secure()) {
                return reject(fileName, "unsigned configuration refused: the TFTP server is secure", StatusMessages.FILE_AUTH_FAIL);
            }
            return apply(fileName, bytes, "unsigned (TFTP server not secure)");
        }
        SignedFile file;
        try {
            file = SignedFile.parse(bytes);
        } catch (MalformedFileException e) {
            return reject(fileName, "malformed signed file: " + e.getMessage(), StatusMessages.FILE_AUTH_FAIL);
        }
        if (!trust.secure()) {
            return verified(fileName, file, "signature not checked (TFTP server not secure)", identity);
        }
        SignerVerdict verdict = SignerCheck.check(file, trust.searchOrder(), SignerCheck.CONFIG_SIGNERS);
        if (verdict instanceof SignerVerdict.Untrusted u) {
            if (u.reason() == SignerVerdict.Reason.SIGNER_UNKNOWN) {
                // A phone holding another cluster's lists (Cisco's "Migrating IP Phones Between Clusters" note).
                String ram = "</usr/ram/" + fileName.substring(0, fileName.length() - ".sgn".length()) + ">";
                log.error("SECD: EROR:verifyFile: sgn verify file failed " + ram + ", errclass 8, errcode 19 (signer not in CTL)");
                log.error("SECD: EROR:verifyFile: verify FAILED, " + ram);
            }
            return reject(fileName, u.detail(), StatusMessages.FILE_AUTH_FAIL);
        }
        SignerVerdict.Trusted t = (SignerVerdict.Trusted) verdict;
        Optional<String> expired = ExpiredSigner.check(t.record(), clock.instant(), trust.searchOrder());
        if (expired.isPresent()) {
            return reject(fileName, expired.get(), StatusMessages.FILE_AUTH_FAIL);
        }
        return verified(fileName, file, "signed by " + t.record().roleName() + " of the " + t.list().kind(), identity);
    }

    /** A signed config whose signer passed (or was not asked): decrypted if it is encrypted, then parsed and applied. */
    private ConfigOutcome verified(String fileName, SignedFile file, String how, PhoneIdentity identity) {
        String plain = fileName.endsWith(".enc.sgn") ? fileName.substring(0, fileName.length() - ".enc.sgn".length())
                : fileName.substring(0, fileName.length() - ".sgn".length());
        log.notice("SECD: verifyFile: verify SUCCESS </usr/ram/" + plain + ">");

        byte[] xml;
        if (file.encryption().isPresent()) {
            identity.expiryNote(clock.instant()).ifPresent(log::warn);
            try {
                xml = EncryptedConfig.decrypt(file, identity.active(clock.instant()).privateKey());
            } catch (DecryptionException e) {
                return reject(fileName, e.getMessage(), StatusMessages.DECRYPT_FAIL);
            }
            log.notice("SECD: decrypt_config: " + fileName + " decrypted with the phone's " + identity.activeName(clock.instant()));
            how += ", decrypted";
        } else {
            xml = file.body();
        }
        PhoneConfig config;
        try {
            config = PhoneConfigParser.parse(xml);
        } catch (ConfigException e) {
            return reject(fileName, e.getMessage(), StatusMessages.FILE_AUTH_FAIL);
        }
        if (config.isEncryptedStub()) {
            return encryptedStub(fileName, plain, config, identity);
        }
        return applied(fileName, config, xml, how);
    }

    /** A stub saying the config is encrypted: its {@code .enc.sgn} is fetched when it names this phone's certificate. */
    private ConfigOutcome encryptedStub(String fileName, String plain, PhoneConfig config, PhoneIdentity identity) {
        String want = identity.certHash(clock.instant());
        String have = config.certHash().orElse("");
        if (!MessageDigest.isEqual(want.getBytes(StandardCharsets.US_ASCII), have.getBytes(StandardCharsets.US_ASCII))) {
            return reject(fileName, "encrypted config is for certificate " + (have.isEmpty() ? "(none)" : have)
                    + ", not this phone's " + want, StatusMessages.DECRYPT_FAIL);
        }
        String encrypted = plain + ".enc.sgn";
        log.notice("tftpClient: encrypted config indicated - requesting " + encrypted);
        return new ConfigOutcome.FetchEncrypted(encrypted);
    }

    /**
     * Over HTTPS 6971 the phone asks {@code SEP<MAC>.cnf.xml.sgn} and the server answers with the unsigned file
     * (usecallmanager.nz, HTTP provisioning): true when {@code bytes} are not a signed file. A signed answer is
     * judged as a signed file always is.
     */
    public static boolean unsignedAnswerOverHttps(String fileName, byte[] bytes) {
        if (!fileName.endsWith(".sgn")) {
            return true;
        }
        try {
            SignedFile.parse(bytes);
            return false;
        } catch (MalformedFileException e) {
            return true;
        }
    }

    /**
     * An unsigned configuration from the HTTPS provisioning server, whose certificate the phone already trusted
     * (a record with the TFTP function, or TVS): the TLS session authenticated the file, so it is applied. An
     * encrypted-config stub cannot be honoured this way (its {@code .enc.sgn} comes over HTTP/TFTP, signed): refused.
     */
    public ConfigOutcome offerOverTrustedHttps(String fileName, byte[] bytes) {
        String plain = fileName.endsWith(".sgn") ? fileName.substring(0, fileName.length() - ".sgn".length()) : fileName;
        log.notice("SECD: verifyFile: " + plain + " received over HTTPS from a trusted provisioning server");
        try {
            PhoneConfig config = PhoneConfigParser.parse(bytes);
            if (config.isEncryptedStub()) {
                return reject(fileName, "an encrypted-config stub must be signed", StatusMessages.FILE_AUTH_FAIL);
            }
            return applied(plain, config, bytes, "unsigned over HTTPS 6971, server trusted");
        } catch (ConfigException e) {
            return reject(fileName, e.getMessage(), StatusMessages.FILE_AUTH_FAIL);
        }
    }

    /** Applies {@code config}; each field it could not use is logged, and named in one status message. */
    private ConfigOutcome applied(String fileName, PhoneConfig config, byte[] xml, String how) {
        Optional<StatusMessages.Message> added = Optional.empty();
        if (!config.refusedFields().isEmpty()) {
            config.refusedFields().forEach(f -> log.error("SECD: EROR:parseConfig: " + fileName + ": field refused, " + f));
            added = Optional.of(status.add(StatusMessages.CONFIG_FIELD_REFUSED + ": " + String.join(", ",
                    config.refusedFields().stream().map(f -> f.substring(0, f.indexOf(':'))).toList())));
        }
        return new ConfigOutcome.Applied(config, xml, fileName + " (" + how + ")", added);
    }

    private ConfigOutcome apply(String fileName, byte[] xml, String how) {
        try {
            PhoneConfig config = PhoneConfigParser.parse(xml);
            return applied(fileName, config, xml, how);
        } catch (ConfigException e) {
            return reject(fileName, e.getMessage(), StatusMessages.FILE_AUTH_FAIL);
        }
    }

    private ConfigOutcome reject(String fileName, String reason, String statusText) {
        log.error("SECD: EROR:verifyFile: " + ConfigOutcome.rejectedText(fileName, reason));
        return new ConfigOutcome.Rejected(fileName, reason, Optional.of(status.add(statusText + ": " + fileName)));
    }
}
