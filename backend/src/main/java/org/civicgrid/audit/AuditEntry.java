package org.civicgrid.audit;

import java.time.Instant;

/** One audited write; before/after are the JSON states as recorded. */
record AuditEntry(long id, Instant occurredAt, String actor, String action, String objectType, String objectId, String areaCode,
                  String beforeState, String afterState, String clientAddress) {
}
