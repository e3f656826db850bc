package org.civicgrid.problems;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What clients read about problems. */
final class ProblemViews {

    private ProblemViews() {
    }

    record PhotoRef(UUID id, String purpose, String url, String thumbnailUrl) {
        static PhotoRef of(UUID id, String purpose) {
            return new PhotoRef(id, purpose, "/api/photos/" + id, "/api/photos/" + id + "/thumbnail");
        }
    }

    record Actor(String username, String displayName) {
    }

    record Event(long id, Instant occurredAt, Actor actor, String action, String fromStatus, String toStatus, String note,
                 String details, List<PhotoRef> photos) {
    }

    record PointRef(long id, String name, String typeCode) {
    }

    record GridRef(long id, String code, String name) {
    }

    record Assignee(long id, String displayName, String phone) {
    }

    record Detail(long id, String externalId, String status, String categoryCode, String categoryName, String actionCode,
                  String description, PointRef point, GridRef grid, double lon, double lat,
                  Instant reportedAt, Instant acceptedAt, Instant dispatchedAt, Instant submittedAt, Instant closedAt,
                  Instant warningAt, Instant deadlineAt, String light, String handlerDepartmentCode, String handlerDepartmentName,
                  Assignee assignee, int reworkCount, int urgeCount, boolean supervised, boolean extensionPending,
                  Double extensionHours, Long duplicateOfId, Long inspectionId, long version, List<String> allowedActions,
                  List<Event> events, List<PhotoRef> beforePhotos, List<PhotoRef> afterPhotos) {
    }

    record WorkItem(long id, String status, String categoryName, String description, String pointName, String gridCode,
                    Instant deadlineAt, String light, int urgeCount, boolean supervised, boolean extensionPending,
                    String handlerDepartmentCode, String assigneeName, long version) {
    }

    record BulkResult(List<Long> succeeded, List<BulkFailure> failed) {
    }

    record BulkFailure(long id, int status, String detail) {
    }
}
