package org.phoneemu.sip.client;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.phoneemu.core.device.Mac;
import org.phoneemu.core.device.PhoneModel;

/**
 * Who the REGISTER says the phone is: its MAC (the {@code +sip.instance} and device name) and model (the
 * {@code +u.sip!model.ccm.cisco.com} product number and the User-Agent).
 *
 * @param firmware the version in the User-Agent ({@code Cisco-CP7970G/9.4.2})
 */
public record RegisterIdentity(Mac mac, PhoneModel model, String firmware) {
    /**
     * CUCM's product numbers as phones send them in {@code +u.sip!model.ccm.cisco.com}, from published traces
     * (7970: 30006, 7975: 437, 8851: 684). A model not listed sends its model number (docs/SIP.md: guessed).
     */
    private static final Map<String, String> PRODUCT_NUMBERS = Map.of("7970", "30006", "7975", "437", "8851", "684");

    public RegisterIdentity {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(firmware, "firmware");
    }

    /** {@code SEP<MAC>}: the device name CUCM knows the phone by. */
    public String deviceName() {
        return mac.deviceName();
    }

    /** {@code urn:uuid:00000000-0000-0000-0000-<mac>}: the instance id Cisco phones build from their MAC. */
    public String instanceUrn() {
        return "urn:uuid:00000000-0000-0000-0000-" + mac.hex().toLowerCase(Locale.ROOT);
    }

    public String productNumber() {
        String digits = model.name().replaceAll("[^0-9]", "");
        return PRODUCT_NUMBERS.getOrDefault(digits, digits);
    }

    /** {@code Cisco-CP7970G/9.4.2}: the G of the older models is part of the name the phone gives. */
    public String userAgent() {
        String name = model.name();
        if (name.matches("79[0-9]{2}")) {
            name = name + "G";
        }
        return "Cisco-CP" + name + "/" + firmware;
    }
}
