package org.civicgrid.photos;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.civicgrid.security.CallerScope;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PhotoRepository {

    static final String INSERT = """
            INSERT INTO photo (id, content_type, byte_size, width, height, sha256, taken_at, gps, uploaded_by)
            VALUES (:id, :contentType, :byteSize, :width, :height, :sha256, :takenAt,
                    CASE WHEN CAST(:lon AS float8) IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) END, :uploadedBy)""";
    private static final String COLUMNS = """
            SELECT ph.id, ph.content_type, ph.byte_size, ph.width, ph.height, ph.taken_at, ST_X(ph.gps) AS lon, ST_Y(ph.gps) AS lat
            FROM photo ph""";
    /** A photo is visible to its uploader and to whoever may see the problem or inspection it belongs to. */
    static final String VISIBLE = COLUMNS + "\n" + """
             WHERE ph.id = :id AND (
                ph.uploaded_by = :userId
                OR EXISTS (SELECT 1 FROM problem_event_photo ep JOIN problem_event e ON e.id = ep.event_id
                           JOIN problem p ON p.id = e.problem_id JOIN grid g ON g.id = p.grid_id
                           WHERE ep.photo_id = ph.id AND g.code LIKE ANY (string_to_array(:scope, ',')))
                OR EXISTS (SELECT 1 FROM inspection_result_photo rp JOIN inspection i ON i.id = rp.inspection_id
                           JOIN grid g ON g.id = i.grid_id
                           WHERE rp.photo_id = ph.id AND g.code LIKE ANY (string_to_array(:scope, ','))))""";
    static final String OWN_PHOTOS = "SELECT id FROM photo WHERE uploaded_by = :userId AND id IN (:ids)";

    private final JdbcClient jdbc;

    PhotoRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, ImageInspection.Facts facts, int byteSize, String sha256, long uploadedBy) {
        jdbc.sql(INSERT).param("id", id).param("contentType", facts.format().contentType()).param("byteSize", byteSize)
                .param("width", facts.width()).param("height", facts.height()).param("sha256", sha256)
                .param("takenAt", facts.takenAt() == null ? null : Timestamp.from(facts.takenAt()))
                .param("lon", facts.lon()).param("lat", facts.lat()).param("uploadedBy", uploadedBy).update();
    }

    Optional<PhotoInfo> visible(UUID id, long userId, CallerScope scope) {
        return jdbc.sql(VISIBLE).param("id", id).param("userId", userId).param("scope", scope.codePatterns())
                .query(PhotoRepository::photo).optional();
    }

    List<UUID> ownedBy(long userId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(OWN_PHOTOS).param("userId", userId).param("ids", ids).query(UUID.class).list();
    }

    private static PhotoInfo photo(ResultSet rs, int row) throws SQLException {
        Timestamp taken = rs.getTimestamp("taken_at");
        Object lon = rs.getObject("lon");
        Object lat = rs.getObject("lat");
        return PhotoInfo.of(rs.getObject("id", UUID.class), rs.getString("content_type"), rs.getInt("byte_size"), rs.getInt("width"),
                rs.getInt("height"), taken == null ? null : taken.toInstant(), lon == null ? null : rs.getDouble("lon"),
                lat == null ? null : rs.getDouble("lat"));
    }
}
