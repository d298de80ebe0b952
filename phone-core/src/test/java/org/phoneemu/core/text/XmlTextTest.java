package org.phoneemu.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one XML escaper and its inverse: what one writes the other reads back, an escaped entity stays text. */
class XmlTextTest {
    @Test
    void markupCharactersAreEscapedAndControlCharactersReplaced() {
        assertThat(XmlText.escape("<a href=\"x\">&</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
        assertThat(XmlText.escape("a\u0001b\tc")).isEqualTo("a\uFFFDb\tc");
        String plain = "CN=cucmpub.lab.example;OU=tac";
        assertThat(XmlText.escape(plain)).isSameAs(plain);
    }

    @Test
    void unescapeReadsBackWhatEscapeWrote() {
        String value = "O'Brien & \"Sons\" <sales>";
        assertThat(XmlText.unescape(XmlText.escape(value))).isEqualTo(value);
        assertThat(XmlText.unescape("it&apos;s")).isEqualTo("it's");
    }

    @Test
    void anEscapedEntityStaysText() {
        assertThat(XmlText.unescape("&amp;lt;")).isEqualTo("&lt;");
        assertThat(XmlText.unescape("&#60;")).isEqualTo("&#60;");
    }
}
