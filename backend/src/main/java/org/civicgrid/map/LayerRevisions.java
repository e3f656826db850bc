package org.civicgrid.map;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import java.util.function.Supplier;

import org.civicgrid.web.GeoJsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.WebRequest;

/**
 * ETags tied to the data revisions of the layers an answer is built from (bumped at commit by
 * triggers), the caller's scope and the request's parameters: an unchanged answer is a 304, not a query.
 */
@Component
public class LayerRevisions {

    static final String REVISIONS = "SELECT string_agg(layer || ':' || revision, ',' ORDER BY layer) FROM layer_revision WHERE layer = ANY (string_to_array(:layers, ','))";

    private final JdbcClient jdbc;

    LayerRevisions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The weak ETag for an answer built from {@code layers} for this caller and these parameters. */
    public String etag(String layers, String... keyParts) {
        String revisions = jdbc.sql(REVISIONS).param("layers", layers).query(String.class).single();
        return "W/\"" + sha256(revisions + "|" + String.join("|", keyParts)).substring(0, 32) + "\"";
    }

    /**
     * A scoped GeoJSON answer for the caller: 304 when the client holds the current revision, else the
     * body built by {@code body}. {@code keyParts} are everything besides the data the answer depends on.
     */
    public ResponseEntity<String> geoJson(WebRequest request, String layers, Supplier<String> body, String... keyParts) {
        String etag = etag(layers, keyParts);
        if (notModified(request, etag)) {
            return null;
        }
        return GeoJsonResponses.revisioned(etag, body.get());
    }

    /** True (and the response set to 304) when the client already holds this answer. */
    public boolean notModified(WebRequest request, String etag) {
        return request.checkNotModified(etag);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
