package org.civicgrid.problems;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.NotFoundException;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Assembles a problem's page: its state, the moves open to the caller, and the timeline with photos. */
@Component
class ProblemDetails {

    private final ProblemRepository problems;
    private final ObjectMapper json;

    ProblemDetails(ProblemRepository problems, ObjectMapper json) {
        this.problems = problems;
        this.json = json;
    }

    ProblemViews.Detail of(long id, CurrentUser caller) {
        ProblemRepository.ResultRow row = problems.detailRow(id, caller.scope()).orElseThrow(() -> new NotFoundException("problem", id));
        ProblemState s = row.state;
        List<ProblemViews.Event> events = new ArrayList<>();
        List<ProblemViews.PhotoRef> before = new ArrayList<>();
        List<ProblemViews.PhotoRef> after = new ArrayList<>();
        for (ProblemRepository.EventRow e : problems.events(id)) {
            List<ProblemViews.PhotoRef> photos = new ArrayList<>();
            for (JsonNode photo : json.readTree(e.photosJson())) {
                ProblemViews.PhotoRef ref = ProblemViews.PhotoRef.of(UUID.fromString(photo.path("id").asString()), photo.path("purpose").asString());
                photos.add(ref);
                (ref.purpose().equals("AFTER") ? after : before).add(ref);
            }
            events.add(new ProblemViews.Event(e.id(), e.occurredAt(), new ProblemViews.Actor(e.username(), e.displayName()), e.action(),
                    e.fromStatus(), e.toStatus(), e.note(), e.details(), photos));
        }
        before.removeIf(p -> !p.purpose().equals("BEFORE"));
        List<String> allowed = LoopRules.allowed(caller, s).stream().map(LoopAction::pathName).toList();
        return new ProblemViews.Detail(s.id, row.externalId, s.status.name(), row.categoryCode, row.categoryName, row.actionCode,
                row.description, row.pointId == null ? null : new ProblemViews.PointRef(row.pointId, row.pointName, row.pointType),
                new ProblemViews.GridRef(s.gridId, s.gridCode, row.gridName), row.lon, row.lat, row.reportedAt, s.acceptedAt,
                s.dispatchedAt, s.submittedAt, s.closedAt, s.warningAt, s.deadlineAt, row.light, s.handlerDepartmentCode, row.departmentName,
                s.assigneeUserId == null ? null : new ProblemViews.Assignee(s.assigneeUserId, row.assigneeName, row.assigneePhone),
                s.reworkCount, s.urgeCount, s.supervised, s.extensionPending, s.extensionHours, s.duplicateOfId, row.inspectionId, s.version,
                allowed, events, before, after);
    }
}
