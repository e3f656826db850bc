package org.civicgrid.ranking;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;
import org.civicgrid.audit.AuditTrail;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports external evaluation results (国测/省测/市测) from CSV (UTF-8, header row) or XLSX (first sheet, header row):
 * all rows or none. Every bad row is reported with its row number as the user sees it (header = row 1) and the column.
 */
@Service
class EvaluationImport {

    static final long MAX_BYTES = 5L * 1024 * 1024;
    static final int MAX_ROWS = 50_000;
    static final List<String> COLUMNS = List.of("evaluation", "evaluated_on", "point_code", "criterion", "score", "max_score");
    private static final Map<String, String> EVALUATIONS = Map.of("NATIONAL", "NATIONAL", "PROVINCIAL", "PROVINCIAL", "CITY", "CITY",
            "国测", "NATIONAL", "省测", "PROVINCIAL", "市测", "CITY");
    private static final int MAX_REPORTED_ERRORS = 500;

    /** One row of the file as read: its row number and the text of each named column. */
    record SourceRow(int row, Map<String, String> values) {
    }

    record RowError(int row, String column, String message) {
    }

    record Imported(int imported, long batchId) {
    }

    /** The file cannot be imported; nothing was written. */
    static final class ImportRejected extends RuntimeException {
        final transient List<RowError> errors;

        ImportRejected(List<RowError> errors) {
            super(errors.size() + " row error(s)");
            this.errors = List.copyOf(errors);
        }
    }

    private final EvaluationRepository repository;
    private final AuditTrail audit;

    EvaluationImport(EvaluationRepository repository, AuditTrail audit) {
        this.repository = repository;
        this.audit = audit;
    }

    @Transactional
    Imported importFile(String fileName, byte[] content, CurrentUser caller) {
        if (content.length == 0) {
            throw new InvalidParameterException("file", "is empty");
        }
        if (content.length > MAX_BYTES) {
            throw new InvalidParameterException("file", "is larger than 5 MB");
        }
        List<SourceRow> rows = isXlsx(content) ? readXlsx(content) : readCsv(content);
        if (rows.isEmpty()) {
            throw new InvalidParameterException("file", "has no data rows");
        }
        List<RowError> errors = new ArrayList<>();
        Set<String> codes = new LinkedHashSet<>();
        rows.forEach(r -> codes.add(r.values().getOrDefault("point_code", "")));
        Map<String, EvaluationRepository.PointRef> points = repository.points(codes);
        List<EvaluationRepository.NewRow> valid = new ArrayList<>();
        for (SourceRow source : rows) {
            int before = errors.size();
            Map<String, String> v = source.values();
            String evaluation = EVALUATIONS.get(v.get("evaluation").toUpperCase(Locale.ROOT));
            if (evaluation == null) {
                errors.add(new RowError(source.row(), "evaluation", "'" + v.get("evaluation") + "' is not NATIONAL, PROVINCIAL, CITY (国测, 省测, 市测)"));
            }
            LocalDate evaluatedOn = null;
            try {
                evaluatedOn = LocalDate.parse(v.get("evaluated_on"));
            } catch (DateTimeParseException e) {
                errors.add(new RowError(source.row(), "evaluated_on", "'" + v.get("evaluated_on") + "' is not a date YYYY-MM-DD"));
            }
            EvaluationRepository.PointRef point = points.get(v.get("point_code"));
            if (v.get("point_code").isEmpty()) {
                errors.add(new RowError(source.row(), "point_code", "is required"));
            } else if (point == null || !caller.scope().covers(point.gridCode())) {
                errors.add(new RowError(source.row(), "point_code", "no measurement point '" + v.get("point_code") + "' in your area"));
            }
            String criterion = v.get("criterion");
            if (criterion.isEmpty()) {
                errors.add(new RowError(source.row(), "criterion", "is required"));
            }
            BigDecimal score = number(v.get("score"), source.row(), "score", errors);
            BigDecimal maxScore = number(v.get("max_score"), source.row(), "max_score", errors);
            if (score != null && score.signum() < 0) {
                errors.add(new RowError(source.row(), "score", "must be 0 or more"));
            }
            if (maxScore != null && maxScore.signum() <= 0) {
                errors.add(new RowError(source.row(), "max_score", "must be more than 0"));
            } else if (score != null && maxScore != null && score.compareTo(maxScore) > 0) {
                errors.add(new RowError(source.row(), "score", "is more than max_score " + maxScore.toPlainString()));
            }
            if (errors.size() == before) {
                valid.add(new EvaluationRepository.NewRow(evaluation, evaluatedOn, point.id(), criterion, score, maxScore));
            }
            if (errors.size() >= MAX_REPORTED_ERRORS) {
                break;
            }
        }
        if (!errors.isEmpty()) {
            throw new ImportRejected(errors);
        }
        long batchId = repository.insertBatch(fileName, caller.id(), valid);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("fileName", fileName);
        after.put("rows", valid.size());
        audit.record("EVALUATIONS_IMPORTED", "evaluation_batch", batchId, null, null, after);
        return new Imported(valid.size(), batchId);
    }

    private static BigDecimal number(String text, int row, String column, List<RowError> errors) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            errors.add(new RowError(row, column, "'" + text + "' is not a number"));
            return null;
        }
    }

    /** XLSX files are ZIP archives: they start with "PK\3\4". */
    private static boolean isXlsx(byte[] content) {
        return content.length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
    }

    private static List<SourceRow> readCsv(byte[] content) {
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get().parse(reader)) {
            List<SourceRow> rows = new ArrayList<>();
            Map<String, Integer> header = null;
            for (CSVRecord record : parser) {
                List<String> cells = record.toList();
                if (header == null) {
                    header = header(cells);
                    continue;
                }
                if (cells.stream().allMatch(String::isBlank)) {
                    continue;
                }
                if (rows.size() >= MAX_ROWS) {
                    throw new InvalidParameterException("file", "has more than " + MAX_ROWS + " rows");
                }
                rows.add(new SourceRow((int) record.getRecordNumber(), values(header, cells)));
            }
            if (header == null) {
                throw new InvalidParameterException("file", "has no header row");
            }
            return rows;
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new InvalidParameterException("file", "is not a readable UTF-8 CSV file: " + readerMessage(e));
        }
    }

    private static List<SourceRow> readXlsx(byte[] content) {
        try (Workbook workbook = WorkbookFactory.create(new ByteArrayInputStream(content))) {
            if (workbook.getNumberOfSheets() == 0) {
                throw new InvalidParameterException("file", "has no sheet");
            }
            Sheet sheet = workbook.getSheetAt(0);
            if (sheet.getLastRowNum() > MAX_ROWS + 1) {
                throw new InvalidParameterException("file", "has more than " + MAX_ROWS + " rows");
            }
            DataFormatter formatter = new DataFormatter(Locale.ROOT);
            List<SourceRow> rows = new ArrayList<>();
            Map<String, Integer> header = null;
            for (Row row : sheet) {
                List<String> cells = new ArrayList<>();
                for (int c = 0; c < Math.max(row.getLastCellNum(), 0); c++) {
                    cells.add(text(row.getCell(c), formatter));
                }
                if (cells.stream().allMatch(String::isBlank)) {
                    continue;
                }
                if (header == null) {
                    header = header(cells);
                    continue;
                }
                if (rows.size() >= MAX_ROWS) {
                    throw new InvalidParameterException("file", "has more than " + MAX_ROWS + " rows");
                }
                rows.add(new SourceRow(row.getRowNum() + 1, values(header, cells)));
            }
            if (header == null) {
                throw new InvalidParameterException("file", "has no header row");
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidParameterException || e instanceof ImportRejected) {
                throw (RuntimeException) e;
            }
            throw new InvalidParameterException("file", "is not a readable XLSX workbook: " + readerMessage(e));
        }
    }

    /** A cell as the user sees it; dates as YYYY-MM-DD, whole numbers without ".0". */
    private static String text(Cell cell, DataFormatter formatter) {
        if (cell == null) {
            return "";
        }
        CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        if (type == CellType.NUMERIC) {
            if (DateUtil.isCellDateFormatted(cell)) {
                return cell.getLocalDateTimeCellValue().toLocalDate().toString();
            }
            return BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros().toPlainString();
        }
        return formatter.formatCellValue(cell).strip();
    }

    private static Map<String, Integer> header(List<String> cells) {
        Map<String, Integer> header = new HashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            header.putIfAbsent(cells.get(i).replace("\uFEFF", "").strip().toLowerCase(Locale.ROOT), i);
        }
        List<RowError> missing = COLUMNS.stream().filter(c -> !header.containsKey(c))
                .map(c -> new RowError(1, c, "column is missing from the header")).toList();
        if (!missing.isEmpty()) {
            throw new ImportRejected(missing);
        }
        return header;
    }

    private static Map<String, String> values(Map<String, Integer> header, List<String> cells) {
        Map<String, String> values = new HashMap<>();
        for (String column : COLUMNS) {
            int index = header.get(column);
            values.put(column, index < cells.size() && cells.get(index) != null ? cells.get(index).strip() : "");
        }
        return values;
    }

    /** The parser's own words without the Java class names some parsers prefix to them. */
    private static String readerMessage(Exception e) {
        return String.valueOf(e.getMessage()).replaceAll("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9]*(?:Exception|Error): ?", "");
    }
}
