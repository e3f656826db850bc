package org.civicgrid.planning;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonRawValue;

import tools.jackson.databind.JsonNode;

/** Request and answer shapes of the planning API. */
final class PlanningViews {

    private PlanningViews() {
    }

    record CreateDraft(String areaCode, String name) {
    }

    /** A grid's fields; on PUT absent fields keep their value. geometry: a GeoJSON Polygon in lon/lat. */
    record GridInput(String code, String name, JsonNode geometry, List<Long> ownerIds, Integer households, Long version) {
    }

    record SplitRequest(Long gridKey, JsonNode line, Long version) {
    }

    record MergeRequest(List<Long> gridKeys, Long version) {
    }

    record ProposeCode(String communityCode) {
    }

    record FixRequest(Integer faultIndex, String type, Long gridKey, Long version) {
    }

    record PublishRequest(LocalDate effectiveFrom, Long version) {
    }

    record UserRef(long id, String username, String name) {
    }

    record DraftSummary(long id, String areaCode, String name, String status, long version, UserRef createdBy, Instant createdAt,
                        Instant updatedAt, long grids) {
    }

    record OtherEditor(long draftId, UserRef user, Instant since, Instant lastEditedAt) {
    }

    record DraftList(String areaCode, List<DraftSummary> drafts, List<OtherEditor> othersEditing) {
    }

    record DraftMeta(long id, String areaCode, String areaName, String areaLevel, String name, String status, long version, UserRef createdBy,
                     Instant createdAt, Instant updatedAt, boolean stale, Long publicationId) {
    }

    record FaultView(int index, String type, Long gridKey, List<Long> gridKeys, String message, @JsonRawValue String location) {
    }

    record Validation(boolean valid, List<FaultView> faults) {
    }

    record Conflict(String code, String change, Long copiedGridId, Long liveGridId, @JsonRawValue String publishedBy) {
    }

    record ProposedCode(String communityCode, String code) {
    }

    record Published(long publicationId, long draftId, String areaCode, LocalDate effectiveFrom, int gridsEnded, int gridsBegun,
                     int pointsReassigned, int problemsReassigned, List<Long> reassignedPointIds, List<Long> reassignedProblemIds) {
    }
}
