package org.civicgrid.loadtest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/** What the simulated users need to know about the demo city, read once from the primary before the run. */
final class City {

    static final String DISTRICT = "320508";
    static final String PASSWORD = "Demo-2026";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    record Place(double lon, double lat) {
    }

    /** A grid manager account and a place inside (one of) its grid(s), for its reports. */
    record Manager(String username, Place inGrid) {
    }

    final List<Manager> managers = new ArrayList<>();
    final List<Place> places = new ArrayList<>();
    final List<String> categories = new ArrayList<>();
    final List<String> streets = new ArrayList<>();
    final List<String> communities = new ArrayList<>();
    final double[] box = new double[4];
    final String weekMonday = LocalDate.now(ZONE).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(1).toString();

    String weekSunday() {
        return LocalDate.parse(weekMonday).plusDays(6).toString();
    }

    String districtBox() {
        return box[0] + "," + box[1] + "," + box[2] + "," + box[3];
    }

    static City load(Connection db) throws SQLException {
        City city = new City();
        try (Statement st = db.createStatement()) {
            // Grid managers with the most work in their grids first: they have problems to move.
            try (ResultSet rs = st.executeQuery("""
                    SELECT u.username, ST_X(ST_PointOnSurface(g.boundary)), ST_Y(ST_PointOnSurface(g.boundary))
                    FROM app_user u
                    JOIN LATERAL (SELECT g.* FROM grid_owner o JOIN grid g ON g.id = o.grid_id AND g.valid_to IS NULL
                                  WHERE o.user_id = u.id ORDER BY g.id LIMIT 1) g ON true
                    WHERE u.username LIKE 'gm%' AND u.enabled
                    ORDER BY (SELECT count(*) FROM problem p JOIN grid_owner o ON o.grid_id = p.grid_id
                              WHERE o.user_id = u.id AND p.status IN ('DISPATCHED', 'IN_PROGRESS', 'RETURNED')) DESC, u.username""")) {
                while (rs.next()) {
                    city.managers.add(new Manager(rs.getString(1), new Place(rs.getDouble(2), rs.getDouble(3))));
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(boundary) p FROM grid
                    WHERE valid_to IS NULL AND code LIKE '320508%' ORDER BY md5(code) LIMIT 400) x""")) {
                while (rs.next()) {
                    city.places.add(new Place(rs.getDouble(1), rs.getDouble(2)));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT code FROM problem_category ORDER BY code")) {
                while (rs.next()) {
                    city.categories.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT code FROM street WHERE district_code = '" + DISTRICT + "' ORDER BY code")) {
                while (rs.next()) {
                    city.streets.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("""
                    SELECT c.code FROM community c WHERE c.code LIKE '320508%'
                      AND (SELECT count(*) FROM grid g WHERE g.community_code = c.code AND g.valid_to IS NULL) >= 3 ORDER BY c.code""")) {
                while (rs.next()) {
                    city.communities.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(boundary) e FROM district WHERE code = '"
                    + DISTRICT + "') x")) {
                rs.next();
                for (int i = 0; i < 4; i++) {
                    city.box[i] = rs.getDouble(i + 1);
                }
            }
        }
        if (city.managers.isEmpty() || city.places.isEmpty() || city.categories.isEmpty()) {
            throw new IllegalStateException("The database holds no demo city (grid managers, grids, categories): start the cluster first");
        }
        return city;
    }

    /** Tile x/y at zoom z containing a place. */
    static int[] tile(Place p, int z) {
        int x = (int) Math.floor((p.lon() + 180) / 360 * (1 << z));
        double r = Math.toRadians(p.lat());
        int y = (int) Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * (1 << z));
        return new int[] {x, y};
    }

    /** A lon/lat box of about {@code metres} around a place (a phone or desktop viewport). */
    static String boxAround(Place p, double metres) {
        double dLat = metres / 2 / 111_320.0;
        double dLon = dLat / Math.cos(Math.toRadians(p.lat()));
        return (p.lon() - dLon) + "," + (p.lat() - dLat) + "," + (p.lon() + dLon) + "," + (p.lat() + dLat);
    }

    static long scalar(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String text(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
