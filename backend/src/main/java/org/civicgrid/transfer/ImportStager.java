package org.civicgrid.transfer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.civicgrid.security.CallerScope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.io.ByteOrderValues;
import org.locationtech.jts.io.WKBWriter;

/**
 * The checks of a preview that need no database, done while the file is read: duplicate external ids, unknown
 * point type or problem category, a geometry the point type does not take, and the grid of each point
 * ({@link GridIndex}) with the caller's scope. Good rows go on as binary COPY rows into the job's staging
 * table, with their grid; rows whose grid only the database can decide (other geometries, points on a
 * border) are marked uncertain and checked in SQL afterwards. For points it also sums, per grid, what the
 * map statistics add up (count, lon, lat), so the commit updates them without reading the rows again.
 */
final class ImportStager implements ImportParser.Sink {

    private final ImportKind kind;
    private final CallerScope scope;
    private final GridIndex grids;
    /** Point type code → geometry kind (POINT, LINE, POLYGON); problem category code → "". */
    private final Map<String, String> codes;
    private final ImportErrors errors;
    private final CopyBinary out;
    /** Where good point rows are also written ahead into measurement_point, or null. */
    private final ImportSpeculation ahead;
    private final WKBWriter wkb = new WKBWriter(2, ByteOrderValues.LITTLE_ENDIAN, true);
    private final FirstRows firstRows = new FirstRows();
    private final List<ImportError> rowErrors = new ArrayList<>(4);
    private final String[] gridCode = new String[1];
    private final TreeSet<String> usedCodes = new TreeSet<>();
    /** grid id → {count, sum lon, sum lat} of the certain point rows. */
    private final Map<Long, double[]> sums = new HashMap<>();
    private long lastGrid = Long.MIN_VALUE;
    private double[] lastSums;
    private int staged;
    private int uncertain;
    /** The uncertain rows (row, external id, location) while there are few; null when too many (read back from staging). */
    private List<Object[]> border = new ArrayList<>();
    static final int BORDER_IN_MEMORY = 10_000;
    private final List<Integer> firstStagedRows = new ArrayList<>();

    ImportStager(ImportKind kind, CallerScope scope, GridIndex grids, Map<String, String> codes, ImportErrors errors, CopyBinary out,
                 ImportSpeculation ahead) {
        this.ahead = ahead;
        this.kind = kind;
        this.scope = scope;
        this.grids = grids;
        this.codes = codes;
        this.errors = errors;
        this.out = out;
    }

    @Override
    public void error(ImportError error) {
        errors.add(error);
    }

    @Override
    public void row(ImportParser.Row row) {
        rowErrors.clear();
        int first = firstRows.putIfAbsent(row.externalId, row.number);
        if (first > 0) {
            rowErrors.add(new ImportError(row.number, "external_id", "duplicate external_id " + row.externalId + " (first in row " + first + ")"));
        }
        String codeKind = codes.get(row.code);
        if (codeKind == null) {
            rowErrors.add(kind == ImportKind.POINTS ? new ImportError(row.number, "type_code", "unknown point type " + row.code)
                    : new ImportError(row.number, "category_code", "unknown problem category " + row.code));
        }
        Geometry location = row.location;
        String geometryKind = switch (location.getDimension()) {
            case 0 -> "POINT";
            case 1 -> "LINE";
            default -> "POLYGON";
        };
        if (kind == ImportKind.POINTS && codeKind != null && !codeKind.equals(geometryKind)) {
            rowErrors.add(new ImportError(row.number, "location", "a point of type " + row.code + " needs a " + codeKind + " geometry, not a "
                    + geometryKind));
        }
        long grid = GridIndex.UNCERTAIN;
        double x = 0;
        double y = 0;
        if (location instanceof Point point) {
            x = point.getX();
            y = point.getY();
            grid = grids.locate(x, y, gridCode);
        }
        boolean certain = grid != GridIndex.UNCERTAIN;
        if (certain && (grid == GridIndex.NONE || !scope.covers(gridCode[0]))) {
            rowErrors.add(new ImportError(row.number, "location", "(" + round6(x) + ", " + round6(y) + ") lies outside every grid of your area"));
        }
        if (!rowErrors.isEmpty()) {
            rowErrors.sort(Comparator.comparing(ImportError::field));
            rowErrors.forEach(errors::add);
            return;
        }
        usedCodes.add(kind == ImportKind.POINTS ? codeKind + ":" + row.code : row.code);
        staged++;
        if (firstStagedRows.size() < 20) {
            firstStagedRows.add(row.number);
        }
        if (!certain) {
            uncertain++;
            if (border != null) {
                border = border.size() < BORDER_IN_MEMORY ? border : null;
                if (border != null) {
                    border.add(new Object[] {row.number, row.externalId, location.copy()});
                }
            }
        }
        byte[] ewkb = location instanceof Point ? null : wkb.write(location);
        if (kind == ImportKind.POINTS) {
            out.startRow(9);
            out.int4(row.number);
            pointColumns(out, row, location, ewkb, grid, certain);
            out.bool(!certain);
            if (certain) {
                if (grid != lastGrid) {
                    lastGrid = grid;
                    lastSums = sums.computeIfAbsent(grid, g -> new double[3]);
                }
                lastSums[0]++;
                lastSums[1] += x;
                lastSums[2] += y;
            }
            if (ahead != null && ahead.writing()) {
                try {
                    CopyBinary b = ahead.out();
                    b.startRow(7);
                    pointColumns(b, row, location, ewkb, grid, certain); // uncertain grid: the commit sets it from the staging table
                    ahead.wrote();
                } catch (RuntimeException e) {
                    ahead.fail(e);
                }
            }
        } else {
            out.startRow(11);
            out.int4(row.number);
            out.text(row.externalId);
            out.text(row.code);
            out.text(row.description);
            out.timestamptz(row.reportedAt);
            out.text(row.status);
            out.timestamptz(row.closedAt);
            out.text(row.pointExternalId);
            geometry(out, location, ewkb);
            out.int8OrNull(grid, !certain);
            out.bool(!certain);
        }
    }

    /** The columns a point row has in both the staging table and measurement_point (ImportSpeculation.COPY_POINTS). */
    private static void pointColumns(CopyBinary to, ImportParser.Row row, Geometry location, byte[] ewkb, long grid, boolean certain) {
        to.text(row.externalId);
        to.text(row.code);
        to.text(row.name);
        to.text(row.address);
        to.text(row.responsibleUnit);
        geometry(to, location, ewkb);
        to.int8OrNull(grid, !certain);
    }

    private static void geometry(CopyBinary to, Geometry location, byte[] ewkb) {
        if (location instanceof Point p) {
            to.point(p.getX(), p.getY());
        } else {
            to.bytes(ewkb);
        }
    }

    private static String round6(double value) {
        return new BigDecimal(Double.toString(value)).setScale(6, RoundingMode.HALF_UP).toPlainString();
    }

    /** Rows written to the staging table. */
    int staged() {
        return staged;
    }

    /** Staged rows whose grid the database decides. */
    int uncertain() {
        return uncertain;
    }

    /** The uncertain rows {row, external id, location}, or null when there were too many to keep. */
    List<Object[]> border() {
        return border;
    }

    /** The row numbers of the first staged rows (the preview's sample). */
    List<Integer> firstStagedRows() {
        return firstStagedRows;
    }

    /** The codes the staged rows use (points: GEOMETRY_KIND:CODE). */
    List<String> usedCodes() {
        return List.copyOf(usedCodes);
    }

    /** Per grid: {count, sum lon, sum lat} of the point rows whose grid was decided here. */
    Map<Long, double[]> sums() {
        return sums;
    }

    /**
     * external_id → the first row that had it: open addressing over two arrays (a million ids cost the ids
     * themselves plus 16 MB, not a HashMap's entry objects).
     */
    private static final class FirstRows {
        private String[] keys = new String[1 << 12];
        private int[] rows = new int[1 << 12];
        private int size;

        /** The first row of the key, or 0 after remembering this one as its first. */
        int putIfAbsent(String key, int row) {
            int mask = keys.length - 1;
            int i = mix(key.hashCode()) & mask;
            while (keys[i] != null) {
                if (keys[i].equals(key)) {
                    return rows[i];
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            rows[i] = row;
            if (++size * 2 > keys.length) {
                grow();
            }
            return 0;
        }

        private void grow() {
            String[] oldKeys = keys;
            int[] oldRows = rows;
            keys = new String[oldKeys.length * 2];
            rows = new int[oldRows.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != null) {
                    int i = mix(oldKeys[j].hashCode()) & mask;
                    while (keys[i] != null) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    rows[i] = oldRows[j];
                }
            }
        }

        private static int mix(int h) {
            h *= 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
