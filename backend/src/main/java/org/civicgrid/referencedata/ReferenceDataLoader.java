package org.civicgrid.referencedata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads the reference vocabularies and the holiday calendar shipped in data/ (classpath civicgrid/)
 * into the database. Runs at every start; only missing rows are added, so it is idempotent.
 */
@Component
public class ReferenceDataLoader {

    private static final Logger log = LoggerFactory.getLogger(ReferenceDataLoader.class);
    private static final String VOCAB = "classpath:civicgrid/vocab/";

    private final ReferenceDataRepository repository;
    private final PathMatchingResourcePatternResolver resources = new PathMatchingResourcePatternResolver();

    ReferenceDataLoader(ReferenceDataRepository repository) {
        this.repository = repository;
    }

    @Transactional
    public void load() {
        List<Map<String, String>> actions = csv(VOCAB + "special-actions.csv");
        repository.insertMissing(ReferenceDataRepository.INSERT_DEPARTMENT,
                rows(csv(VOCAB + "departments.csv"), "code", "name_zh", "name_en", "kind"));
        repository.insertMissing(ReferenceDataRepository.INSERT_SPECIAL_ACTION, actions.stream()
                .map(a -> new Object[] {a.get("code"), a.get("name_zh"), a.get("name_en"), CsvResource.blankToNull(a.get("lead_leader")),
                        Integer.parseInt(a.get("sort_order"))})
                .toList());
        repository.insertMissing(ReferenceDataRepository.INSERT_ACTION_DEPARTMENT, actions.stream()
                .flatMap(a -> Arrays.stream(a.get("department_codes").split(";")).map(String::trim).filter(d -> !d.isEmpty())
                        .map(d -> new Object[] {a.get("code"), d}))
                .toList());
        repository.insertMissing(ReferenceDataRepository.INSERT_CATEGORY, csv(VOCAB + "problem-categories.csv").stream()
                .map(c -> new Object[] {c.get("code"), c.get("name_zh"), c.get("name_en"), c.get("action_code"),
                        new BigDecimal(c.get("time_limit_hours")), c.get("event_class"),
                        CsvResource.blankToNull(c.get("default_department_code"))})
                .toList());
        repository.insertMissing(ReferenceDataRepository.INSERT_POINT_TYPE, csv(VOCAB + "point-types.csv").stream()
                .map(t -> new Object[] {t.get("code"), t.get("name_zh"), t.get("name_en"), t.get("group_code"), t.get("geometry_kind"),
                        t.get("color"), t.get("glyph"), Integer.parseInt(t.get("sort_order"))})
                .toList());
        repository.insertMissing(ReferenceDataRepository.INSERT_CHECKLIST_ITEM, csv(VOCAB + "checklist-items.csv").stream()
                .map(i -> new Object[] {i.get("code"), i.get("point_type_code"), Integer.parseInt(i.get("sort_order")), i.get("text_zh"),
                        i.get("text_en"), i.get("category_code")})
                .toList());
        List<Object[]> days = new ArrayList<>();
        for (Resource year : calendarFiles()) {
            days.addAll(rows(CsvResource.read(year), "date", "kind", "name"));
        }
        repository.insertMissing(ReferenceDataRepository.INSERT_CALENDAR_DAY, days);
        log.info("Reference data checked: {} special actions, {} calendar days", actions.size(), days.size());
    }

    private List<Map<String, String>> csv(String location) {
        return CsvResource.read(resources.getResource(location));
    }

    private Resource[] calendarFiles() {
        try {
            return resources.getResources("classpath*:civicgrid/calendar/*.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Object[]> rows(List<Map<String, String>> csv, String... columns) {
        return csv.stream().map(r -> ReferenceDataRepository.row(r, columns)).toList();
    }
}
