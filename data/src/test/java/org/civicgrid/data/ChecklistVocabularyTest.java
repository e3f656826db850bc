package org.civicgrid.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The inspection checklists (测评标准) in {@code vocab/checklist-items.csv}. */
class ChecklistVocabularyTest {

    private static final String RESOURCE = Vocabulary.RESOURCE_DIR + "checklist-items.csv";
    private static final List<String> COLUMNS = List.of("code", "point_type_code", "sort_order", "text_zh", "text_en",
            "category_code");

    private static Vocabulary vocabulary;
    private static List<Map<String, String>> items;

    @BeforeAll
    static void load() {
        vocabulary = Vocabulary.load();
        try (InputStream in = open()) {
            items = Csv.readTable(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fileIsPlainUtf8WithHeaderAndUnixLineEnds() throws IOException {
        byte[] bytes;
        try (InputStream in = open()) {
            bytes = in.readAllBytes();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).doesNotStartWith("\uFEFF").doesNotContain("\r").endsWith("\n").doesNotContain("\uFFFD");
        assertThat(text.substring(0, text.indexOf('\n'))).isEqualTo(String.join(",", COLUMNS));
        assertThat(items).isNotEmpty();
    }

    @Test
    void everyPointTypeHasFiveToTenItems() {
        Map<String, Integer> perType = new LinkedHashMap<>();
        for (Map<String, String> item : items) {
            String type = item.get("point_type_code");
            vocabulary.pointType(type);
            perType.merge(type, 1, Integer::sum);
        }
        for (PointType type : vocabulary.pointTypes()) {
            assertThat(perType.getOrDefault(type.code(), 0)).as("items for %s", type.code()).isBetween(5, 10);
        }
    }

    @Test
    void codesAreUniqueAndWellFormed() {
        Set<String> codes = new HashSet<>();
        for (Map<String, String> item : items) {
            String code = item.get("code");
            assertThat(code).matches("[A-Z][A-Z_]*-[0-9]{2}").startsWith(item.get("point_type_code") + "-");
            assertThat(codes.add(code)).as("unique code %s", code).isTrue();
        }
    }

    @Test
    void everyItemOpensAKnownProblemCategory() {
        for (Map<String, String> item : items) {
            assertThat(item.get("category_code")).as(item.get("code")).isNotBlank();
            vocabulary.problemCategory(item.get("category_code"));
        }
    }

    @Test
    void sortOrderIsAPositiveNumberUniqueWithinAType() {
        Map<String, Set<Integer>> orders = new LinkedHashMap<>();
        for (Map<String, String> item : items) {
            assertThat(item.get("sort_order")).as(item.get("code")).matches("[0-9]+");
            int order = Integer.parseInt(item.get("sort_order"));
            assertThat(order).isPositive();
            assertThat(orders.computeIfAbsent(item.get("point_type_code"), t -> new HashSet<>()).add(order))
                    .as("sort_order %d unique within %s", order, item.get("point_type_code")).isTrue();
        }
    }

    @Test
    void textsAreNotBlankAndInTheRightLanguage() {
        Map<String, Set<String>> texts = new LinkedHashMap<>();
        for (Map<String, String> item : items) {
            String code = item.get("code");
            String zh = item.get("text_zh");
            String en = item.get("text_en");
            assertThat(zh).as("text_zh of %s", code).isNotBlank().isEqualTo(zh.strip()).containsPattern("\\p{IsHan}");
            assertThat(en).as("text_en of %s", code).isNotBlank().isEqualTo(en.strip())
                    .doesNotContainPattern("\\p{IsHan}");
            assertThat(texts.computeIfAbsent(item.get("point_type_code"), t -> new HashSet<>()).add(zh))
                    .as("text_zh of %s repeated within its type", code).isTrue();
        }
    }

    private static InputStream open() {
        InputStream in = ChecklistVocabularyTest.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + RESOURCE);
        }
        return in;
    }
}
