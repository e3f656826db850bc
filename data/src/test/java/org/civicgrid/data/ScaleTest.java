package org.civicgrid.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleTest {

    @TempDir
    Path tmp;

    @Test
    void severalDistrictsSideBySideWithExactTotals() throws IOException {
        GeneratorOptions options = GeneratorOptions.parse("--out", tmp.toString(), "--scale", "3", "--points",
                "6601", "--problems", "1001", "--seed", "7");
        DemoCityGenerator.Result result = new DemoCityGenerator(options).run();
        assertThat(result.counts()).containsEntry("districts", 3L).containsEntry("points", 6601L)
                .containsEntry("problems", 1001L);

        List<DemoFiles.Feature> districts = DemoFiles.features(tmp.resolve("areas.geojson")).stream()
                .filter(a -> a.text("level").equals("district")).toList();
        assertThat(districts).extracting(d -> d.text("code")).containsExactly("320508", "320102", "320103");
        assertThat(districts).extracting(d -> d.text("name")).doesNotHaveDuplicates();
        for (int i = 0; i < districts.size(); i++) {
            for (int j = i + 1; j < districts.size(); j++) {
                assertThat(districts.get(i).geometry().intersects(districts.get(j).geometry())).isFalse();
            }
        }
        List<Map<String, String>> problems = DemoFiles.csv(tmp.resolve("problems.csv"));
        assertThat(problems).hasSize(1001);
        assertThat(problems.get(1000).get("external_id")).isEqualTo("Q0001001");
    }

    @Test
    void districtCodesStayUniqueAndSkipTheRealOne() {
        java.util.Set<String> codes = new java.util.HashSet<>();
        for (int i = 0; i < 400; i++) {
            String code = DistrictSpec.of(i, 400).code();
            assertThat(code).matches("\\d{6}");
            assertThat(codes.add(code)).as(code).isTrue();
        }
    }
}
