package org.civicgrid.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class VocabularyTest {

    private final Vocabulary vocabulary = Vocabulary.load();

    @Test
    void pointTypesAreCompleteAndDistinct() {
        List<PointType> types = vocabulary.pointTypes();
        assertThat(types.size()).isBetween(26, 30);
        Set<String> colors = new HashSet<>();
        Set<String> glyphs = new HashSet<>();
        Set<Integer> orders = new HashSet<>();
        for (PointType type : types) {
            assertThat(type.code()).matches("[A-Z][A-Z_]+");
            assertThat(type.groupCode()).isIn("SERVICE", "TRANSPORT", "PUBLIC_SPACE", "STREET", "RESIDENTIAL");
            assertThat(type.color()).matches("#[0-9a-f]{6}");
            assertThat(contrastWithWhite(type.color())).as("%s readable on white", type.code()).isGreaterThanOrEqualTo(3.0);
            assertThat(colors.add(type.color())).as("distinct colour %s", type.color()).isTrue();
            assertThat(type.glyph()).hasSize(1).matches("\\p{IsHan}");
            assertThat(glyphs.add(type.glyph())).as("distinct glyph %s", type.glyph()).isTrue();
            assertThat(orders.add(type.sortOrder())).isTrue();
            assertThat(ProblemProfiles.profiledTypes()).contains(type.code());
        }
        Map<String, GeometryKind> expected = Map.of("BACK_STREET", GeometryKind.LINE, "MAIN_ROAD", GeometryKind.LINE,
                "COMMERCIAL_STREET", GeometryKind.LINE, "FARMERS_MARKET", GeometryKind.POLYGON,
                "CONSTRUCTION_SITE", GeometryKind.POLYGON, "OLD_COMPOUND", GeometryKind.POLYGON,
                "URBAN_RURAL_FRINGE", GeometryKind.POLYGON, "BANK", GeometryKind.POINT, "BUS_STOP", GeometryKind.POINT);
        expected.forEach((code, kind) -> assertThat(vocabulary.pointType(code).geometryKind()).isEqualTo(kind));
    }

    @Test
    void actionsReferenceDepartments() {
        assertThat(vocabulary.departments().size()).isBetween(10, 16);
        assertThat(vocabulary.specialActions().size()).isGreaterThanOrEqualTo(13);
        for (SpecialAction action : vocabulary.specialActions()) {
            assertThat(action.departmentCodes()).isNotEmpty();
            assertThat(action.leadLeader()).isNotBlank();
            action.departmentCodes().forEach(code -> assertThat(vocabulary.hasDepartment(code)).as(code).isTrue());
        }
    }

    @Test
    void categoriesReferenceActionsAndDepartments() {
        Set<String> eventClasses = Set.of("市容环境", "宣传广告", "施工管理", "突发事件", "街面秩序", "公用设施", "道路交通",
                "园林绿化", "房屋土地", "其他设施");
        assertThat(vocabulary.problemCategories().size()).isGreaterThanOrEqualTo(24);
        Set<String> used = new HashSet<>();
        for (String type : ProblemProfiles.profiledTypes()) {
            ProblemProfiles.categoriesFor(type, vocabulary).items().forEach(c -> used.add(c.code()));
        }
        for (ProblemCategory category : vocabulary.problemCategories()) {
            vocabulary.specialAction(category.actionCode());
            assertThat(vocabulary.hasDepartment(category.defaultDepartmentCode())).isTrue();
            assertThat(category.timeLimitHours()).isPositive();
            assertThat(category.eventClass()).isIn(eventClasses);
            assertThat(ProblemProfiles.hasTemplates(category.code())).as(category.code()).isTrue();
            assertThat(used).as("some point type has %s", category.code()).contains(category.code());
        }
        assertThat(vocabulary.problemCategories()).extracting(ProblemCategory::nameZh)
                .contains("乱停乱放", "飞线充电", "楼道堆物", "占道经营/店外经营", "围挡破损/污损", "一米线缺失");
    }

    /** WCAG contrast ratio against white; 3:1 is the minimum for graphical objects. */
    private static double contrastWithWhite(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        double luminance = 0.2126 * linear(rgb >> 16 & 0xff) + 0.7152 * linear(rgb >> 8 & 0xff)
                + 0.0722 * linear(rgb & 0xff);
        return 1.05 / (luminance + 0.05);
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
