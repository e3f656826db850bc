package org.civicgrid.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesOnlyWhenNeededAndRoundTrips() throws Exception {
        String text = Csv.appendRow(new StringBuilder(), "a", "b,c", "say \"hi\"", "", "多行\n文本").toString();
        assertThat(text).isEqualTo("a,\"b,c\",\"say \"\"hi\"\"\",,\"多行\n文本\"\n");
        assertThat(Csv.parse(new StringReader(text))).containsExactly(List.of("a", "b,c", "say \"hi\"", "", "多行\n文本"));
    }

    @Test
    void handlesCrLfAndMissingFinalNewline() throws Exception {
        assertThat(Csv.parse(new StringReader("x,y\r\n1,\r\n2,3"))).containsExactly(List.of("x", "y"),
                List.of("1", ""), List.of("2", "3"));
    }
}
