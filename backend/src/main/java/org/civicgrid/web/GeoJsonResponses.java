package org.civicgrid.web;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** GeoJSON built in the database is passed through as text with its own media type (RFC 7946). */
public final class GeoJsonResponses {

    public static final MediaType GEO_JSON = MediaType.parseMediaType("application/geo+json");

    private GeoJsonResponses() {
    }

    public static ResponseEntity<String> ok(String featureCollection) {
        return ResponseEntity.ok().contentType(GEO_JSON).body(featureCollection);
    }
}
