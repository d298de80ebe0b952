package org.phoneemu.core.https;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DirectoryMenuTest {
    private static final String MENU = "<?xml version=\"1.0\"?>\n<CiscoIPPhoneMenu><Title>Directories</Title>"
            + "<MenuItem><Name>Corporate Directory</Name><URL>https://10.0.0.1:8443/ccmcip/xmldirectoryinput.jsp</URL></MenuItem>"
            + "<MenuItem><Name>Other</Name><URL>https://10.0.0.2/other</URL></MenuItem></CiscoIPPhoneMenu>";

    @Test
    void theFirstItemIsOpenedWithThePhonesName() {
        URI item = DirectoryMenu.firstItem(MENU).orElseThrow();
        assertThat(item).hasToString("https://10.0.0.1:8443/ccmcip/xmldirectoryinput.jsp");
        assertThat(DirectoryMenu.withName(item, "SEP0011215A1AE3"))
                .hasToString("https://10.0.0.1:8443/ccmcip/xmldirectoryinput.jsp?name=SEP0011215A1AE3");
        assertThat(DirectoryMenu.withName(URI.create("https://h/p?x=1&amp=2"), "SEP1")).hasToString("https://h/p?x=1&amp=2&name=SEP1");
        assertThat(DirectoryMenu.withName(URI.create("https://h/p?name=SEP2"), "SEP1")).hasToString("https://h/p?name=SEP2");
        // Anything outside RFC 3986's unreserved set is percent-encoded (UTF-8), as URLEncoder would, but space as %20.
        assertThat(DirectoryMenu.withName(URI.create("https://h/p"), "a b&c=é~")).hasToString("https://h/p?name=a%20b%26c%3D%C3%A9~");
    }

    @Test
    void escapedAmpersandsAreReadAsOne() {
        assertThat(DirectoryMenu.firstItem("<CiscoIPPhoneMenu><MenuItem><URL>https://h/p?a=1&amp;b=2</URL></MenuItem></CiscoIPPhoneMenu>"))
                .contains(URI.create("https://h/p?a=1&b=2"));
    }

    @Test
    void otherPagesAndBadItemsAreNotFollowed() {
        assertThat(DirectoryMenu.firstItem("<CiscoIPPhoneDirectory><DirectoryEntry/></CiscoIPPhoneDirectory>")).isEmpty();
        assertThat(DirectoryMenu.firstItem("<CiscoIPPhoneMenu><MenuItem><URL>http://h/p</URL></MenuItem></CiscoIPPhoneMenu>")).isEmpty();
        assertThat(DirectoryMenu.firstItem("<CiscoIPPhoneMenu><MenuItem><URL>https://[bad/</URL></MenuItem></CiscoIPPhoneMenu>")).isEmpty();
        assertThat(DirectoryMenu.firstItem("<CiscoIPPhoneMenu><MenuItem><Name>x</Name></MenuItem><URL>https://h/</URL></CiscoIPPhoneMenu>")).isEmpty();
        assertThat(DirectoryMenu.firstItem("<CiscoIPPhoneMenu><MenuItem><URL>https://h/" + "a".repeat(70_000) + "</URL></MenuItem></CiscoIPPhoneMenu>")).isEmpty();
        assertThat(DirectoryMenu.firstItem(null)).isEmpty();
    }
}
