package org.civicgrid.map;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.civicgrid.database.ChangeNotifications;
import org.civicgrid.web.GeoJsonResponses;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.web.context.request.WebRequest;

/**
 * ETags tied to the data revisions of the layers an answer is built from (bumped at commit by
 * triggers), the caller's scope and the request's parameters: an unchanged answer is a 304, not a query.
 * <p>
 * The revisions are kept in memory, refreshed by V19's notifications, so an ETag needs no database round trip. They
 * are read from the database instead while not listening (a missed notification would mean a stale ETag), for reads
 * that may go to a lagging replica, and once after each of this instance's own commits (its next request must see its
 * write; the notification may still be on its way).
 */
@Component
public class LayerRevisions implements ChangeNotifications.Listener, TransactionExecutionListener {

    static final String REVISIONS = "SELECT string_agg(layer || ':' || revision, ',' ORDER BY layer) FROM layer_revision WHERE layer = ANY (string_to_array(:layers, ','))";
    static final String ALL_REVISIONS = "SELECT layer, revision FROM layer_revision";
    static final String CHANNEL = "civicgrid_layer_revision";

    private final JdbcClient jdbc;
    private final ChangeNotifications notifications;
    private final Map<String, Long> known = new ConcurrentHashMap<>();
    private final Map<String, String[]> sortedLayers = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private final AtomicLong ownWrites = new AtomicLong();
    private final AtomicLong readAfterWrites = new AtomicLong();

    LayerRevisions(JdbcClient jdbc, ChangeNotifications notifications) {
        this.jdbc = jdbc;
        this.notifications = notifications;
    }

    /** The weak ETag for an answer built from {@code layers} for this caller and these parameters. */
    public String etag(String layers, String... keyParts) {
        String revisions = fromMemory(layers);
        if (revisions == null) {
            revisions = jdbc.sql(REVISIONS).param("layers", layers).query(String.class).single();
        }
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

    /** The same text as {@link #REVISIONS}, or null when it must be read from the database. */
    private String fromMemory(String layers) {
        if (!loaded || notifications.readsMayLag()) {
            return null;
        }
        long writes = ownWrites.get();
        if (writes != readAfterWrites.get()) {
            // The write may have bumped any layer: read them all (a few rows); concurrent requests read too, not wait.
            jdbc.sql(ALL_REVISIONS).query((rs, n) -> known.merge(rs.getString(1), rs.getLong(2), Math::max)).list();
            readAfterWrites.accumulateAndGet(writes, Math::max);
        }
        StringBuilder text = new StringBuilder();
        for (String layer : sortedLayers.computeIfAbsent(layers, LayerRevisions::sorted)) {
            Long revision = known.get(layer);
            if (revision != null) {
                text.append(text.isEmpty() ? "" : ",").append(layer).append(':').append(revision);
            }
        }
        return text.isEmpty() ? null : text.toString();
    }

    private static String[] sorted(String layers) {
        String[] sorted = Arrays.stream(layers.split(",")).distinct().toArray(String[]::new);
        // As ORDER BY layer does: the layer names are plain ASCII, compared in the database's collation alike.
        Arrays.sort(sorted);
        return sorted;
    }

    /** Takes "layer:revision" pairs; revisions only grow, so an older one arriving late changes nothing. */
    private void remember(String revisions) {
        if (revisions == null) {
            return;
        }
        for (String pair : revisions.split(",")) {
            int colon = pair.lastIndexOf(':');
            if (colon > 0) {
                known.merge(pair.substring(0, colon), Long.parseLong(pair.substring(colon + 1)), Math::max);
            }
        }
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void listening(Connection connection) throws SQLException {
        known.clear();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(ALL_REVISIONS)) {
            while (rs.next()) {
                known.merge(rs.getString(1), rs.getLong(2), Math::max);
            }
        }
        loaded = true;
    }

    @Override
    public void notified(String payload) {
        try {
            remember(payload);
        } catch (NumberFormatException e) {
            loaded = false;   // unreadable: serve from the database until the next reload
        }
    }

    @Override
    public void stopped() {
        loaded = false;
    }

    /** Any read-write transaction of this instance may have bumped a revision: read them from the database next time. */
    @Override
    public void afterCommit(TransactionExecution transaction, Throwable commitFailure) {
        // The session store's own transactions (one or two per signed-in request) change no layer.
        if (!transaction.isReadOnly() && !ChangeNotifications.inSessionStore()) {
            ownWrites.incrementAndGet();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
