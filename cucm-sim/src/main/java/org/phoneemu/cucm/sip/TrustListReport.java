package org.phoneemu.cucm.sip;

import java.time.Instant;
import java.util.Optional;
import org.phoneemu.core.sip.DeviceTlInfo;

/**
 * A DeviceTLInfo alarm as CallManager keeps it, beside the ITL the named TFTP server serves now, so the ITL a phone
 * holds is compared with the served one by SHA-1 and both hashes are shown (TAC's check in seeds 000/002/004).
 *
 * @param servedItlSha1 SHA-1 of the ITLFile.tlv the alarm's TFTP server serves now (empty: not a node of this cluster)
 * @param servedItlMd5  MD5 of the same file
 */
public record TrustListReport(DeviceTlInfo alarm, Instant received, Optional<String> servedItlSha1, Optional<String> servedItlMd5) {
    /** Does the phone hold the ITL its TFTP server serves now? Empty when that cannot be told. */
    public Optional<Boolean> itlCurrent() {
        return alarm.itlSha1().isEmpty() ? Optional.of(false) : servedItlSha1.map(s -> s.equals(alarm.itlSha1().get()));
    }

    /** One line for the CallManager trace and {@code show}. */
    public String describe() {
        String held = alarm.itlSha1().map(s -> "ITL SHA-1 " + s).orElse("no ITL installed");
        String served = servedItlSha1.map(s -> "the ITLFile.tlv " + alarm.itlTftpServer() + " serves now: SHA-1 " + s + ", MD5 "
                + servedItlMd5.orElse("?")).orElse("no ITLFile.tlv of this cluster's TFTP servers to compare with");
        String verdict = itlCurrent().map(c -> c ? "the phone holds the served ITL" : "the phone's ITL differs from the served one")
                .orElse("not compared");
        return "DeviceTLInfo from " + alarm.deviceName() + " (" + (alarm.ipv4Address().isEmpty() ? "no address" : alarm.ipv4Address())
                + "): " + held + " from " + alarm.itlTftpServer() + ", CTL " + alarm.ctlSha1().map(s -> "SHA-1 " + s).orElse("not installed")
                + ", StatusCode " + alarm.statusCode() + "; " + served + ": " + verdict;
    }
}
