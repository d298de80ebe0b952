package org.phoneemu.core.device;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cisco IP phone model as it appears in the phone's device name {@code CP-<model>-SEP<MAC>}: four digits, with the
 * letters some models carry ({@code 7970}, {@code 7965G}, {@code 8865NR}). The one place that says what a model looks
 * like, so a typo ({@code --model foo}) is caught before a TVS server sees a name it does not know.
 *
 * @param name the model, e.g. {@code 7970}
 */
public record PhoneModel(String name) {
    private static final Pattern MODEL = Pattern.compile("[0-9]{4}[A-Z]{0,3}");
    private static final Pattern TVS_DEVICE_NAME = Pattern.compile("CP-([0-9]{4}[A-Z]{0,3})-SEP([0-9A-F]{12})");

    public PhoneModel {
        if (name == null || !MODEL.matcher(name).matches()) {
            throw new IllegalArgumentException("not a phone model: " + name);
        }
    }

    /** {@code 7970}, {@code 7965g}, {@code CP-8865NR}: either case, optionally {@code CP-}-prefixed; empty for anything else. */
    public static Optional<PhoneModel> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String m = text.trim().toUpperCase(Locale.ROOT);
        if (m.startsWith("CP-")) {
            m = m.substring(3);
        }
        return MODEL.matcher(m).matches() ? Optional.of(new PhoneModel(m)) : Optional.empty();
    }

    /**
     * The model numbers of Cisco IP phones that run the security-by-default stack (SCCP/SIP phones from the 69xx,
     * 78xx, 79xx, 88xx, 89xx and 99xx series, the 3905 and the wireless 792x/882x), from Cisco's product lists. A
     * user's {@code --model} or a devices list is checked against these, so a typo ({@code 9999x}) is caught.
     */
    private static final java.util.Set<String> KNOWN_NUMBERS = java.util.Set.of(
            "3905", "6901", "6911", "6921", "6941", "6945", "6961",
            "7811", "7821", "7832", "7841", "7861",
            "7906", "7911", "7921", "7925", "7926", "7931", "7937", "7940", "7941", "7942", "7945", "7960", "7961", "7962",
            "7965", "7970", "7971", "7975",
            "8811", "8821", "8831", "8832", "8841", "8845", "8851", "8861", "8865", "8941", "8945", "8961", "9951", "9971");

    /**
     * How each model downloads its files (docs/PROTOCOLS.md §4): the one per-model table of provisioning paths.
     * usecallmanager.nz's HTTP provisioning page is written for the 7800 and 8800 series (HTTP 6970 first, HTTPS 6971
     * for the config when the ITL is version 1.1); which other series do so is not in a public source we found, so
     * every other model is TFTP only (**Guessed**: the 8821 counted with the 88xx by its number).
     */
    private static final java.util.Map<String, ProvisioningPath> PROVISIONING_BY_SERIES = java.util.Map.of(
            "78", ProvisioningPath.HTTPS, "88", ProvisioningPath.HTTPS);

    /** The model's download path: {@link ProvisioningPath#TFTP_ONLY} unless the table above names its series. */
    public ProvisioningPath provisioning() {
        return PROVISIONING_BY_SERIES.getOrDefault(name.substring(0, 2), ProvisioningPath.TFTP_ONLY);
    }

    /** Like {@link #parse}, and the model number must be one of a Cisco IP phone ({@code 7970}, {@code 7965G}, {@code 8865NR}). */
    public static Optional<PhoneModel> parseKnown(String text) {
        return parse(text).filter(m -> KNOWN_NUMBERS.contains(m.name().substring(0, 4)));
    }

    /** Whether {@code name} is a device name as a phone sends it to TVS ({@code CP-7970-SEP001122334455}). */
    public static boolean isTvsDeviceName(String name) {
        Matcher m = TVS_DEVICE_NAME.matcher(name == null ? "" : name);
        return m.matches();
    }

    @Override
    public String toString() {
        return name;
    }
}
