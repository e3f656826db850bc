package org.civicgrid.transfer;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;

/** A pending or finished import as the API shows it: the preview (counts, errors, first rows) and the commit's progress. */
record ImportJob(long id, @JsonIgnore ImportKind kind, String fileName, String crs, @JsonIgnore long createdBy, Instant createdAt,
                 String status, @JsonProperty("rows") int totalRows, @JsonProperty("valid") int validRows, int errorCount, int creates,
                 int updates, @JsonIgnore int processed, JsonNode errors, JsonNode sample, String failure, Instant committedAt,
                 @JsonIgnore Long gridRevision) {

    @JsonProperty("kind")
    String kindName() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @JsonProperty("progress")
    Progress progress() {
        return new Progress(processed, validRows);
    }

    record Progress(int processed, int total) {
    }
}
