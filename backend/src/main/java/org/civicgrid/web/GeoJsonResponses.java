package org.civicgrid.web;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** GeoJSON built in the database is passed through as text with its own media type (RFC 7946). */
public final class GeoJsonResponses {

    public static final MediaType GEO_JSON = MediaType.parseMediaType("application/geo+json");

    private GeoJsonResponses() {
    }

    /** A scoped answer tied to a data revision: private, and revalidated each time (304 when unchanged). */
    public static ResponseEntity<String> revisioned(String etag, String featureCollection) {
        return ResponseEntity.ok().eTag(etag).cacheControl(CacheControl.noCache().cachePrivate()).contentType(GEO_JSON).body(featureCollection);
    }

    public static ResponseEntity<String> ok(String featureCollection) {
        return ResponseEntity.ok().contentType(GEO_JSON).body(featureCollection);
    }
}
