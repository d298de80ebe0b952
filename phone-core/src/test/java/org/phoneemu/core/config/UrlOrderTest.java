package org.phoneemu.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The config's service URLs are listed in one fixed order (the phone's element list), the same on every run. */
class UrlOrderTest {
    @Test
    void urlsComeInThePhonesElementOrderWhateverTheFileOrder() throws Exception {
        String xml = "<device><servicesURL>https://h/s</servicesURL><secureDirectoryURL>https://h/sd</secureDirectoryURL>"
                + "<idleURL>https://h/i</idleURL><directoryURL>https://h/d</directoryURL>"
                + "<informationURL>https://h/info</informationURL><authenticationURL>https://h/a</authenticationURL>"
                + "<messagesURL>https://h/m</messagesURL></device>";
        PhoneConfig c = PhoneConfigParser.parse(xml.getBytes(StandardCharsets.UTF_8));
        List<String> expected = PhoneConfig.URL_ELEMENTS.stream().filter(c.urls()::containsKey).toList();
        assertThat(List.copyOf(c.urls().keySet())).containsExactlyElementsOf(expected)
                .startsWith("directoryURL", "servicesURL", "authenticationURL", "messagesURL", "idleURL", "informationURL");
    }
}
