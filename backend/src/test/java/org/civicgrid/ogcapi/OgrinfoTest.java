package org.civicgrid.ogcapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.ApiTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * GDAL's OGC API – Features client ({@code ogrinfo OAPIF:…}, installed by ./civicgrid test as gdal-bin)
 * against the running application, authenticated the way QGIS users connect: the token in the URL only.
 */
@CivicGridIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OgrinfoTest {

    private static final String OGRINFO = "/usr/bin/ogrinfo";
    private static final Pattern LAYER_LINE = Pattern.compile("(?m)^\\d+: (\\S+)");
    private static final Pattern FEATURE_COUNT = Pattern.compile("(?m)^Feature Count: (\\d+)");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokens tokens;

    @Autowired
    OgcCatalog catalog;

    private String dataset;

    @BeforeAll
    void tokenForTheDemoLeader() {
        assertThat(Path.of(OGRINFO)).as("GDAL's ogrinfo (apt package gdal-bin; ./civicgrid test installs it)").exists();
        long leader = jdbc.sql("SELECT id FROM app_user WHERE username = 'leader'").query(Long.class).single();
        String token = tokens.issue(leader, "ogrinfo test", null).token();
        dataset = "OAPIF:http://127.0.0.1:" + port + "/ogc?access_token=" + token;
    }

    @Test
    void ogrinfoListsEveryCollection() throws Exception {
        String out = ogrinfo("-ro", "-so", dataset);
        List<String> layers = new ArrayList<>();
        Matcher m = LAYER_LINE.matcher(out);
        while (m.find()) {
            layers.add(m.group(1));
        }
        List<String> expected = catalog.all().stream().map(OgcCatalog.Collection::id).toList();
        assertThat(layers).as(out).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void ogrinfoCountsTheFeaturesOfALayerAsTheDatabaseDoes() throws Exception {
        long problems = jdbc.sql("SELECT count(*) FROM problem p JOIN grid g ON g.id = p.grid_id WHERE g.code LIKE '320508%'")
                .query(Long.class).single();
        long grids = jdbc.sql("SELECT count(*) FROM grid WHERE valid_to IS NULL AND code LIKE '320508%'").query(Long.class).single();
        long banks = jdbc.sql("SELECT count(*) FROM measurement_point mp JOIN grid g ON g.id = mp.grid_id WHERE mp.type_code = 'BANK'")
                .query(Long.class).single();
        for (Map.Entry<String, Long> layer : Map.of("problems", problems, "grids", grids, "points-bank", banks).entrySet()) {
            String out = ogrinfo("-ro", "-so", "-al", dataset, layer.getKey());
            Matcher m = FEATURE_COUNT.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(Long.parseLong(m.group(1))).as(layer.getKey() + "\n" + out).isEqualTo(layer.getValue()).isPositive();
        }
        // And reading every feature (paging through next links) gives the same number.
        String all = ogrinfo("-ro", "-al", "-q", "-geom=NO", dataset, "grids");
        assertThat(Pattern.compile("(?m)^OGRFeature\\(grids\\):").matcher(all).results().count()).isEqualTo(grids);
    }

    private static String ogrinfo(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(OGRINFO);
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("ogrinfo", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("GDAL_HTTP_TIMEOUT", "60");
            builder.environment().put("CPL_DEBUG", "OFF");
            Process process = builder.start();
            assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("ogrinfo finished").isTrue();
            String text = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(text).isZero();
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
