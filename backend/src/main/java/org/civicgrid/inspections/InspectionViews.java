package org.civicgrid.inspections;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

final class InspectionViews {

    private InspectionViews() {
    }

    record Item(String code, int sortOrder, String textZh, String textEn, String categoryCode, String outcome, String note,
                List<UUID> photoIds, Long problemId) {
    }

    record Inspection(long id, long pointId, String pointName, String pointTypeCode, String gridCode, String status, String inspector,
                      Instant startedAt, Instant submittedAt, int passedCount, int failedCount, int notApplicableCount,
                      BigDecimal scoreRate, long version, List<Item> items) {
    }

    record Uninspected(long pointId, String name, String typeCode, String gridCode, Instant lastInspectedAt) {
    }

    record ChecklistItem(String code, String pointTypeCode, int sortOrder, String textZh, String textEn, String categoryCode, boolean active) {
    }
}
