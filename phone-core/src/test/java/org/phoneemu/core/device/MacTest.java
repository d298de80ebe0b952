package org.phoneemu.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MacTest {
    @Test
    void holdsOnlyTwelveUpperCaseHexDigits() {
        assertThat(new Mac("00AABBCCDDEE").hex()).isEqualTo("00AABBCCDDEE");
        assertThatThrownBy(() -> new Mac("00aabbccddee")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mac("00AABBCCDDE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mac("00AABBCCDDEG")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mac(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesEitherCaseButNothingElse() {
        assertThat(Mac.parse("00aabbCCDDEE")).contains(new Mac("00AABBCCDDEE"));
        assertThat(Mac.parse("SEP00AABBCCDDEE")).isEmpty();
        assertThat(Mac.parse("00:AA:BB:CC:DD:EE")).isEmpty();
        assertThat(Mac.parse("00AABBCCDDEE0")).isEmpty();
        assertThat(Mac.parse(null)).isEmpty();
    }

    @Test
    void parsesMacsAsWrittenInFiles() {
        Mac m = new Mac("001122AABBCC");
        assertThat(Mac.parseWritten("SEP001122aabbcc")).contains(m);
        assertThat(Mac.parseWritten(" 00:11:22:aa:bb:cc ")).contains(m);
        assertThat(Mac.parseWritten("0011.22aa.bbcc")).contains(m);
        assertThat(Mac.parseWritten("00-11-22-AA-BB-CC")).contains(m);
        assertThat(Mac.parseWritten("SEP 001122AABBCC")).isEmpty();
        assertThat(Mac.parseWritten("001122AABBC")).isEmpty();
        assertThat(Mac.parseWritten("phone")).isEmpty();
    }

    @Test
    void buildsTheDeviceNames() {
        Mac m = new Mac("001122334455");
        assertThat(m.deviceName()).isEqualTo("SEP001122334455");
        assertThat(m.tvsDeviceName("7970")).isEqualTo("CP-7970-SEP001122334455");
        assertThat(m).hasToString("001122334455");
    }
}
