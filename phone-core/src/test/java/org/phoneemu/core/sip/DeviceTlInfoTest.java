package org.phoneemu.core.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceTlInfoTest {
    private static final String SHA1 = "1ba1c907e99e4d3c539dc81424af6c9f7dce4d6d";

    @Test
    void theAlarmCarriesTheItlSha1AsThePhoneWritesIt() {
        DeviceTlInfo a = new DeviceTlInfo("SEPC80084AA8743", "", Optional.empty(), "N/A", Optional.of(SHA1), "cucm-115.home.lab", 3)
                .withAddress("192.168.7.104");
        assertThat(a.toXml()).isEqualTo("""
                <?xml version="1.0" encoding="UTF-8"?>
                <x-cisco-alarm>
                <Alarm Name="DeviceTLInfo">
                <ParameterList>
                <String name="DeviceName">SEPC80084AA8743</String>
                <String name="IPv4Address">192.168.7.104</String>
                <String name="IPv6Address"></String>
                <String name="CTL_Signature">Not Installed</String>
                <String name="CTL_TFTP_Server">N/A</String>
                <String name="ITL_Signature">1B A1 C9 07 E9 9E 4D 3C 53 9D C8 14 24 AF 6C 9F 7D CE 4D 6D </String>
                <String name="ITL_TFTP_Server">cucm-115.home.lab</String>
                <String name="StatusCode">3</String>
                </ParameterList>
                </Alarm>
                </x-cisco-alarm>
                """);
        assertThat(DeviceTlInfo.parse(a.toXml())).contains(a);
    }

    @Test
    void otherAlarmsOversizedBodiesAndBadHashesAreNotTakenForOne() {
        assertThat(DeviceTlInfo.parse("<x-cisco-alarm><Alarm Name=\"Other\"><String name=\"DeviceName\">SEP1</String></Alarm></x-cisco-alarm>"))
                .isEmpty();
        assertThat(DeviceTlInfo.parse("<Alarm Name=\"DeviceTLInfo\"><String name=\"DeviceName\"></String></Alarm>")).isEmpty();
        assertThat(DeviceTlInfo.parse("<Alarm Name=\"DeviceTLInfo\">" + " ".repeat(DeviceTlInfo.MAX_BODY_CHARS))).isEmpty();
        DeviceTlInfo bad = DeviceTlInfo.parse("<Alarm Name=\"DeviceTLInfo\"><String name=\"DeviceName\">SEP1</String>"
                + "<String name=\"ITL_Signature\">ZZ</String><String name=\"StatusCode\">x</String></Alarm>").orElseThrow();
        assertThat(bad.itlSha1()).isEmpty();
        assertThat(bad.statusCode()).isEqualTo(-1);
    }
}
