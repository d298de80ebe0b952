package org.phoneemu.cucm.sip;

import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.phoneemu.core.sip.DeviceSecurityMode;
import org.phoneemu.core.sip.SipTlsOffer;
import org.phoneemu.core.sip.SipTransport;
import org.phoneemu.cucm.config.DeviceSpec;
import org.phoneemu.sip.codec.SipMessage;

/**
 * CUCM's decision on a phone's REGISTER (docs/SIP.md §7), in one place: which device it names, whether its security
 * profile allows the transport it came over, whether its TLS client certificate is this device's.
 */
public final class RegistrarRules {
    /** CUCM's keep-alive interval: what it grants a phone's REGISTER (the SIP profile's "Timer Keep Alive Expires"). */
    public static final int KEEP_ALIVE_SECONDS = 120;
    /**
     * How long a registered phone's connection may stay without a request: the keep-alive interval plus 10 s (chosen;
     * Cisco TAC document 200410 describes CUCM unregistering a phone whose re-REGISTER is more than about 15 s late
     * after the 115 s at which it is due).
     */
    public static final java.time.Duration REGISTERED_IDLE = registeredIdle(java.time.Duration.ofSeconds(KEEP_ALIVE_SECONDS));

    /** How long a registered phone's connection may stay without a request when REGISTERs are granted {@code expires}. */
    public static java.time.Duration registeredIdle(java.time.Duration expires) {
        return expires.plusSeconds(10);
    }
    /** The Contact parameter of a keep-alive REGISTER to a backup CallManager (Cisco TAC document 200410's trace). */
    public static final String KEEP_ALIVE_PARAMETER = "cisco-keep-alive";
    /** The Warning text of a secure device that came over TCP. */
    public static final String SECURITY_MISMATCH = "Device security mismatch: expected TLS";
    /**
     * The Warning text of a Non Secure device that came over TLS. **Guessed**: by analogy with
     * {@link #SECURITY_MISMATCH}; CUCM's security guide says a device whose security does not match its profile is
     * rejected, without the text.
     */
    public static final String SECURITY_MISMATCH_TCP = "Device security mismatch: expected TCP";
    /**
     * The Warning text of an Encrypted device whose TLS connection encrypts nothing (a NULL suite). The prefix is the TCP
     * case's; the rest is guessed (docs/SIP.md §7).
     */
    public static final String ENCRYPTION_MISMATCH = "Device security mismatch: expected encryption";
    /** The Warning text of a TLS client certificate that is not the device's LSC or MIC. */
    public static final String TLS_AUTHENTICATION_FAILURE = "TLS authentication failure";

    private static final Pattern DEVICE_NAME = Pattern.compile("\\+u\\.sip!devicename\\.ccm\\.cisco\\.com=\"([^\"]*)\"");

    private RegistrarRules() {
    }

    /** What CUCM answers. */
    public sealed interface Decision {
        /** 200 OK: registered for {@link #KEEP_ALIVE_SECONDS}. */
        record Accept(DeviceSpec device) implements Decision {
        }

        /** A refusal: status, reason phrase and the Warning text (empty: no Warning header). */
        record Refuse(int status, String reason, String warning) implements Decision {
        }
    }

    /** The device name a REGISTER's Contact carries ({@code +u.sip!devicename.ccm.cisco.com}). */
    public static Optional<String> deviceName(SipMessage.Request register) {
        for (String contact : register.headers().all("Contact")) {
            Matcher m = DEVICE_NAME.matcher(contact);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code register} is a backup CallManager's keep-alive (its Contact carries {@code cisco-keep-alive}). */
    public static boolean isKeepAlive(SipMessage.Request register) {
        for (String contact : register.headers().all("Contact")) {
            for (String param : contact.substring(Math.max(0, contact.lastIndexOf('>'))).split(";")) {
                if (param.strip().equalsIgnoreCase(KEEP_ALIVE_PARAMETER)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** As below, where the negotiated suite is not known (a prediction: the phone's own offer follows its mode). */
    public static Decision decide(SipMessage.Request register, SipTransport transport, java.util.List<X509Certificate> clientChain,
                                  RegistrarDirectory directory) {
        return decide(register, transport, clientChain, Optional.empty(), directory);
    }

    /**
     * @param transport         how the REGISTER arrived
     * @param clientChain       the TLS client certificate and the certificates sent after it (empty over TCP, or when the
     *                          phone presented none)
     * @param cipherSuite       the suite the TLS connection negotiated (empty over TCP)
     */
    public static Decision decide(SipMessage.Request register, SipTransport transport, java.util.List<X509Certificate> clientChain,
                                  Optional<String> cipherSuite, RegistrarDirectory directory) {
        Optional<String> name = deviceName(register);
        if (name.isEmpty() || !name.get().matches("SEP[0-9A-Fa-f]{12}")) {
            return new Decision.Refuse(400, "Bad Request", "");
        }
        Optional<DeviceSpec> device = directory.device(name.get());
        if (device.isEmpty()) {
            return new Decision.Refuse(404, "Not Found", "");
        }
        DeviceSpec d = device.get();
        if (d.expectsTls() && transport != SipTransport.TLS) {
            return new Decision.Refuse(403, "Forbidden", SECURITY_MISMATCH);
        }
        if (transport == SipTransport.TLS
                && (clientChain.isEmpty() || !directory.isDeviceCertificate(d.deviceName(), clientChain))) {
            return new Decision.Refuse(403, "Forbidden", TLS_AUTHENTICATION_FAILURE);
        }
        if (transport == SipTransport.TLS && !d.securityProfile().secure()) {
            // Its certificate is its own, but its profile is Non Secure: it must come over TCP.
            return new Decision.Refuse(403, "Forbidden", SECURITY_MISMATCH_TCP);
        }
        // Judged once the certificate is: the secured port accepts NULL suites from any client (an Authenticated phone offers only those); an Encrypted
        // device's signalling must be encrypted.
        if (d.securityProfile() == DeviceSecurityMode.ENCRYPTED && cipherSuite.filter(SipTlsOffer::isNullCipher).isPresent()) {
            return new Decision.Refuse(403, "Forbidden", ENCRYPTION_MISMATCH);
        }
        return new Decision.Accept(d);
    }
}
