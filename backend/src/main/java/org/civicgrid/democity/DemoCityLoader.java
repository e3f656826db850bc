package org.civicgrid.democity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.civicgrid.problems.Deadlines;
import org.civicgrid.referencedata.CsvResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Loads the demo city shipped in data/demo-city into an empty database, all or nothing. The demo's
 * timestamps are moved forward by whole weeks so that its last 90 days end near today while
 * weekdays stay weekdays; deadlines are then computed on the real working calendar.
 */
@Component
public class DemoCityLoader {

    private static final Logger log = LoggerFactory.getLogger(DemoCityLoader.class);
    private static final String BASE = "classpath:civicgrid/demo-city/";

    private final DemoCityRepository repository;
    private final ResourceLoader resources;
    private final ObjectMapper json;
    private final Deadlines deadlines;
    private final JdbcClient jdbc;

    DemoCityLoader(DemoCityRepository repository, ResourceLoader resources, ObjectMapper json,
                   Deadlines deadlines, JdbcClient jdbc) {
        this.repository = repository;
        this.resources = resources;
        this.json = json;
        this.deadlines = deadlines;
        this.jdbc = jdbc;
    }

    /** Loads the demo city unless its district is already there; returns whether it loaded. */
    @Transactional
    public boolean loadIfAbsent() {
        JsonNode manifest = readJson("manifest.json");
        JsonNode areas = readJson("areas.geojson");
        String districtCode = districtCode(areas);
        if (repository.districtExists(districtCode)) {
            log.info("Demo city {} is already loaded", districtCode);
            return false;
        }
        Duration shift = shiftToToday(LocalDate.parse(manifest.path("asOf").asString()));
        loadAreas(areas);
        loadGrids(readJson("grids.geojson"), LocalDate.parse(manifest.path("asOf").asString()).minusDays(365).plusDays(shift.toDays()));
        loadGridManagers();
        loadPoints(readJson("points.geojson"));
        int problems = loadProblems(shift);
        log.info("Loaded demo city {}: {} problems, timestamps moved by {} days", districtCode, problems, shift.toDays());
        return true;
    }

    private static Duration shiftToToday(LocalDate asOf) {
        long days = ChronoUnit.DAYS.between(asOf, LocalDate.now());
        return Duration.ofDays(7 * Math.floorDiv(days, 7));
    }

    private void loadAreas(JsonNode areas) {
        Map<String, List<Object[]>> byLevel = new HashMap<>();
        for (JsonNode feature : areas.path("features")) {
            JsonNode p = feature.path("properties");
            String level = p.path("level").asString();
            String geometry = feature.path("geometry").toString();
            Object[] row = switch (level) {
                case "district" -> new Object[] {p.path("code").asString(), p.path("name").asString(), geometry};
                case "street" -> new Object[] {p.path("code").asString(), p.path("parentCode").asString(), p.path("name").asString(), geometry};
                case "community" -> new Object[] {p.path("code").asString(), p.path("parentCode").asString(), p.path("name").asString(),
                        p.path("households").isNumber() ? p.path("households").asInt() : null, geometry};
                default -> throw new IllegalStateException("Unknown area level '" + level + "' in areas.geojson");
            };
            byLevel.computeIfAbsent(level, l -> new ArrayList<>()).add(row);
        }
        repository.insert(DemoCityRepository.INSERT_DISTRICT, byLevel.getOrDefault("district", List.of()));
        repository.insert(DemoCityRepository.INSERT_STREET, byLevel.getOrDefault("street", List.of()));
        repository.insert(DemoCityRepository.INSERT_COMMUNITY, byLevel.getOrDefault("community", List.of()));
    }

    private void loadGrids(JsonNode grids, LocalDate validFrom) {
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode feature : grids.path("features")) {
            JsonNode p = feature.path("properties");
            rows.add(new Object[] {p.path("code").asString(), p.path("name").asString(), p.path("communityCode").asString(),
                    p.path("households").isNumber() ? p.path("households").asInt() : null, feature.path("geometry").toString(),
                    validFrom.toString()});
        }
        repository.insert(DemoCityRepository.INSERT_GRID, rows);
    }

    private void loadGridManagers() {
        List<Object[]> users = new ArrayList<>();
        List<Object[]> roles = new ArrayList<>();
        List<Object[]> scopes = new ArrayList<>();
        for (Map<String, String> row : CsvResource.read(resource("grid-managers.csv"))) {
            String username = row.get("username");
            users.add(new Object[] {username, row.get("display_name"), CsvResource.blankToNull(row.get("phone"))});
            roles.add(new Object[] {"GRID_MANAGER", username});
            for (String gridCode : row.get("grid_codes").split(";")) {
                scopes.add(new Object[] {gridCode.trim(), username});
            }
        }
        repository.insert(DemoCityRepository.INSERT_USER, users);
        repository.insert(DemoCityRepository.INSERT_ROLE, roles);
        repository.insert(DemoCityRepository.INSERT_GRID_SCOPE, scopes);
        repository.insert(DemoCityRepository.INSERT_GRID_OWNER, scopes);
    }

    private void loadPoints(JsonNode points) {
        List<Object[]> rows = new ArrayList<>();
        for (JsonNode feature : points.path("features")) {
            JsonNode p = feature.path("properties");
            rows.add(new Object[] {p.path("externalId").asString(), p.path("typeCode").asString(), p.path("name").asString(),
                    textOrNull(p.path("address")), textOrNull(p.path("responsibleUnit")), feature.path("geometry").toString()});
        }
        repository.insert(DemoCityRepository.INSERT_POINT, rows);
    }

    private int loadProblems(Duration shift) {
        Map<String, Duration> limits = new HashMap<>();
        jdbc.sql("SELECT code, time_limit_hours FROM problem_category")
                .query((rs, n) -> limits.put(rs.getString(1), Duration.ofMinutes(Math.round(rs.getDouble(2) * 60)))).list();
        List<Object[]> rows = new ArrayList<>();
        for (Map<String, String> r : CsvResource.read(resource("problems.csv"))) {
            Instant accepted = shifted(r.get("accepted_at"), shift);
            Duration limit = limits.get(r.get("category_code"));
            if (limit == null) {
                throw new IllegalStateException("problems.csv " + r.get("external_id") + ": unknown category " + r.get("category_code"));
            }
            Deadlines.Window window = accepted == null ? null : deadlines.from(accepted, limit);
            rows.add(new Object[] {r.get("external_id"), CsvResource.blankToNull(r.get("point_external_id")), r.get("category_code"),
                    r.get("status"), Double.parseDouble(r.get("lon")), Double.parseDouble(r.get("lat")), r.get("description"),
                    timestamp(shifted(r.get("reported_at"), shift)), timestamp(accepted), timestamp(shifted(r.get("dispatched_at"), shift)),
                    timestamp(window == null ? null : window.warningAt()), timestamp(window == null ? null : window.deadlineAt()),
                    timestamp(shifted(r.get("closed_at"), shift)),
                    CsvResource.blankToNull(r.get("handler_department_code")), Integer.parseInt(r.get("rework_count"))});
        }
        repository.insert(DemoCityRepository.INSERT_PROBLEM, rows);
        jdbc.sql(DemoCityRepository.ASSIGN_GRID_OWNERS).update();
        return rows.size();
    }

    private static Instant shifted(String isoTime, Duration shift) {
        String value = CsvResource.blankToNull(isoTime);
        return value == null ? null : OffsetDateTime.parse(value).toInstant().plus(shift);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : CsvResource.blankToNull(node.asString());
    }

    private static String districtCode(JsonNode areas) {
        for (JsonNode feature : areas.path("features")) {
            if ("district".equals(feature.path("properties").path("level").asString())) {
                return feature.path("properties").path("code").asString();
            }
        }
        throw new IllegalStateException("areas.geojson holds no district");
    }

    private JsonNode readJson(String name) {
        try (InputStream in = resource(name).getInputStream()) {
            return json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read demo-city/" + name, e);
        }
    }

    private Resource resource(String name) {
        return resources.getResource(BASE + name);
    }
}
