package org.civicgrid.web;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** GeoJSON built in the database is passed through as text with its own media type (RFC 7946). */
public final class GeoJsonResponses {

    public static final MediaType GEO_JSON = MediaType.parseMediaType("application/geo+json");

    private GeoJsonResponses() {
    }

    /**
     * For an nginx cache in front of several instances (the scale-out deployment): keep the body but treat it as
     * expired at once, so every request is revalidated with the app (If-None-Match) and served from the cache only on
     * a 304. The ETag includes the caller's scope, so a body is only ever given to a caller whose request produced the
     * same ETag. nginx strips X-Accel-* headers before answering clients; without such a cache the header is inert.
     */
    public static final String SHARED_CACHE_HEADER = "X-Accel-Expires";
    public static final String ALWAYS_REVALIDATE = "@1";

    /** A scoped answer tied to a data revision: private, and revalidated each time (304 when unchanged). */
    public static ResponseEntity<String> revisioned(String etag, String featureCollection) {
        return ResponseEntity.ok().eTag(etag).cacheControl(CacheControl.noCache().cachePrivate()).header(SHARED_CACHE_HEADER, ALWAYS_REVALIDATE)
                .contentType(GEO_JSON).body(featureCollection);
    }

    public static ResponseEntity<String> ok(String featureCollection) {
        return ResponseEntity.ok().contentType(GEO_JSON).body(featureCollection);
    }
}
