package org.civicgrid.problems;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Size;

/**
 * The body of a move. {@code version} is the version the client saw (optimistic locking); the other
 * fields apply to some moves only: photos (an after-photo to submit), the department to dispatch to,
 * the reason and original of a rejection, the hours of an extension.
 */
record ActionRequest(Long version, @Size(max = 2000) String note, @Size(max = 20) List<UUID> photoIds, String departmentCode,
                     String reason, Long duplicateOfId, Double extensionHours) {

    List<UUID> photos() {
        return photoIds == null ? List.of() : photoIds;
    }
}
