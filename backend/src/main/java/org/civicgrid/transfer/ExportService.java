package org.civicgrid.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.civicgrid.geoformats.GeoFeature;
import org.civicgrid.geoformats.GeoFiles;
import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CallerScope;
import org.civicgrid.web.InvalidParameterException;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.io.WKTWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a layer in scope as CSV (UTF-8 with BOM, so Excel reads Chinese text), XLSX (POI's streaming workbook:
 * a window of rows in memory), GeoJSON or GeoPackage (through GeoFiles). CSV and XLSX stream from a database
 * cursor (fetch size {@value #FETCH_ROWS}); the GIS formats are built in memory and limited to
 * {@link GeoFiles#MAX_FEATURES} features. Every row has lon/lat (a point on the surface for lines and areas)
 * and WKT; spreadsheet text cells are neutralised against formula injection.
 */
@Service
class ExportService {

    static final int FETCH_ROWS = 5_000;
    /** Excel's limit is 1,048,576 rows per sheet, header included: larger exports continue on another sheet. */
    static final int SHEET_ROWS = 1_048_575;
    /** Excel cells hold at most 32,767 characters; longer WKT (big outlines) is left out of XLSX cells. */
    static final int CELL_CHARS = 32_767;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    ExportService(DataSource dataSource, PlatformTransactionManager transactions) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH_ROWS);
        this.jdbc = new NamedParameterJdbcTemplate(template);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The number of features a GIS-format export would hold; too many → 400 (CSV and XLSX stream any number). */
    void checkGisSize(ExportLayer layer, CallerScope scope, MapFilters filters) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM (" + layer.sql + ") x", parameters(scope, filters), Long.class);
        if (count != null && count > GeoFiles.MAX_FEATURES) {
            throw new InvalidParameterException("format", count + " features are too many for GeoJSON/GeoPackage (at most "
                    + GeoFiles.MAX_FEATURES + "); narrow the filters or export CSV");
        }
    }

    void write(ExportLayer layer, ExportFormat format, CallerScope scope, MapFilters filters, OutputStream out) throws IOException {
        try {
            readOnly.executeWithoutResult(status -> {
                try {
                    switch (format) {
                        case CSV -> csv(layer, scope, filters, out);
                        case XLSX -> xlsx(layer, scope, filters, out);
                        case GEOJSON, GPKG -> gis(layer, format, scope, filters, out);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private interface RowWriter {
        void header(List<String> columns) throws IOException;

        void row(List<Object> values, Geometry geometry) throws IOException;
    }

    private void query(ExportLayer layer, CallerScope scope, MapFilters filters, RowWriter writer) {
        WKBReader wkb = new WKBReader();
        jdbc.query(layer.sql, parameters(scope, filters), (ResultSet rs) -> {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (!meta.getColumnLabel(i).equals("geom_wkb")) {
                    columns.add(meta.getColumnLabel(i));
                }
            }
            try {
                writer.header(columns);
                while (rs.next()) {
                    List<Object> values = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        values.add(value(rs, meta, i));
                    }
                    byte[] bytes = rs.getBytes("geom_wkb");
                    Geometry geometry = bytes == null ? null : wkb.read(bytes);
                    writer.row(values, geometry);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }

    private static Object value(ResultSet rs, ResultSetMetaData meta, int i) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        return switch (meta.getColumnType(i)) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> rs.getTimestamp(i).toInstant().toString();
            case Types.NUMERIC, Types.DECIMAL -> ((BigDecimal) v).doubleValue();
            default -> v instanceof Timestamp t ? t.toInstant().toString() : v;
        };
    }

    private static double[] lonLat(Geometry geometry) {
        if (geometry == null || geometry.isEmpty()) {
            return null;
        }
        Point p = geometry instanceof Point point ? point : geometry.getInteriorPoint();
        return new double[] {round(p.getX()), round(p.getY())};
    }

    private static double round(double degrees) {
        return Math.round(degrees * 1e7) / 1e7;
    }

    private void csv(ExportLayer layer, CallerScope scope, MapFilters filters, OutputStream out) throws IOException {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        text.write('\uFEFF');
        CSVPrinter printer = new CSVPrinter(text, CSVFormat.RFC4180);
        WKTWriter wkt = new WKTWriter();
        query(layer, scope, filters, new RowWriter() {
            @Override
            public void header(List<String> columns) throws IOException {
                List<String> header = new ArrayList<>(columns);
                header.addAll(List.of("lon", "lat", "wkt"));
                printer.printRecord(header);
            }

            @Override
            public void row(List<Object> values, Geometry geometry) throws IOException {
                for (Object v : values) {
                    printer.print(v instanceof String s ? SpreadsheetCells.neutralise(s) : v);
                }
                double[] ll = lonLat(geometry);
                printer.print(ll == null ? null : ll[0]);
                printer.print(ll == null ? null : ll[1]);
                printer.print(geometry == null ? null : wkt.write(geometry));
                printer.println();
            }
        });
        printer.flush();
    }

    private void xlsx(ExportLayer layer, CallerScope scope, MapFilters filters, OutputStream out) throws IOException {
        SXSSFWorkbook workbook = new SXSSFWorkbook(200);
        workbook.setCompressTempFiles(true);
        try {
            WKTWriter wkt = new WKTWriter();
            query(layer, scope, filters, new RowWriter() {
                Sheet sheet;
                List<String> header;
                int rowIndex;
                int sheets;

                @Override
                public void header(List<String> columns) {
                    header = new ArrayList<>(columns);
                    header.addAll(List.of("lon", "lat", "wkt"));
                    newSheet();
                }

                private void newSheet() {
                    sheets++;
                    sheet = workbook.createSheet(layer.fileName() + (sheets > 1 ? " " + sheets : ""));
                    Row row = sheet.createRow(0);
                    for (int i = 0; i < header.size(); i++) {
                        row.createCell(i).setCellValue(header.get(i));
                    }
                    rowIndex = 1;
                }

                @Override
                public void row(List<Object> values, Geometry geometry) {
                    if (rowIndex > SHEET_ROWS) {
                        newSheet();
                    }
                    Row row = sheet.createRow(rowIndex++);
                    int c = 0;
                    for (Object v : values) {
                        set(row.createCell(c++), v);
                    }
                    double[] ll = lonLat(geometry);
                    set(row.createCell(c++), ll == null ? null : ll[0]);
                    set(row.createCell(c++), ll == null ? null : ll[1]);
                    String text = geometry == null ? null : wkt.write(geometry);
                    set(row.createCell(c), text == null || text.length() > CELL_CHARS ? null : text);
                }
            });
            workbook.write(out);
        } finally {
            workbook.close();
        }
    }

    private static void set(Cell cell, Object v) {
        if (v == null) {
            cell.setBlank();
        } else if (v instanceof Number n) {
            cell.setCellValue(n.doubleValue());
        } else if (v instanceof Boolean b) {
            cell.setCellValue(b);
        } else {
            cell.setCellValue(SpreadsheetCells.neutralise(v.toString()));
        }
    }

    private void gis(ExportLayer layer, ExportFormat format, CallerScope scope, MapFilters filters, OutputStream out) throws IOException {
        List<GeoFeature> features = new ArrayList<>();
        query(layer, scope, filters, new RowWriter() {
            List<String> columns;

            @Override
            public void header(List<String> names) {
                columns = names;
            }

            @Override
            public void row(List<Object> values, Geometry geometry) {
                Map<String, Object> properties = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    properties.put(columns.get(i), values.get(i));
                }
                features.add(new GeoFeature(geometry, properties));
            }
        });
        out.write(GeoFiles.write(format.geoFormat, layer.fileName(), features));
    }

    private static MapSqlParameterSource parameters(CallerScope scope, MapFilters filters) {
        return new MapSqlParameterSource().addValue("scope", scope.codePatterns())
                .addValue("fStatuses", joined(filters.statuses())).addValue("fCategories", joined(filters.categories()))
                .addValue("fActions", joined(filters.actions())).addValue("fLights", joined(filters.lights()))
                .addValue("fFrom", filters.from(), Types.DATE).addValue("fTo", filters.to(), Types.DATE)
                .addValue("fPointTypes", joined(filters.pointTypes()));
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(",", values);
    }
}
