package org.phoneemu.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void markupCharactersBecomeText() {
        assertThat(Html.escape("<script>alert(1)</script>")).isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(Html.escape("a\"b'c&d")).isEqualTo("a&quot;b&#39;c&amp;d");
    }

    @Test
    void plainTextIsUnchangedAndNullIsEmpty() {
        String s = "CN=cucmpub.lab.example;OU=tac";
        assertThat(Html.escape(s)).isSameAs(s);
        assertThat(Html.escape(null)).isEmpty();
    }

    @Test
    void controlCharactersAreReplaced() {
        assertThat(Html.escape("a\u0000b\nc")).isEqualTo("a\uFFFDb\nc");
    }
}
