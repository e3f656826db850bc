package org.civicgrid.bulletins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.poi.common.usermodel.HyperlinkType;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Hyperlink;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.civicgrid.indicators.IndicatorReport;
import org.civicgrid.ranking.WeeklyRanking;

/**
 * The Excel bulletin: sheets 概况, 排名, 红黑榜, 重点点位, 超期与督办, 备注, each with a frozen header row; numbers are numeric cells
 * (rates as fractions formatted 0.0%), so they can be summed and compared with the dashboard. {@code base} is the absolute URL the
 * photo links start with.
 */
final class BulletinXlsx {

    static final List<String> SHEETS = List.of("概况", "排名", "红黑榜", "重点点位", "超期与督办", "备注");
    /** The 0-based row of the 概况 sheet's header (rows above it hold the title, week and campaign). */
    static final int SUMMARY_HEADER_ROW = 4;

    private final XSSFWorkbook workbook = new XSSFWorkbook();
    private final CellStyle header;
    private final CellStyle percent;
    private final CellStyle percentChange;
    private final CellStyle integer;
    private final CellStyle decimal;
    private final CellStyle dateTime;
    private final CellStyle wrap;
    private final CellStyle titleStyle;
    private final String base;

    private BulletinXlsx(String base) {
        this.base = base;
        Font bold = workbook.createFont();
        bold.setBold(true);
        header = workbook.createCellStyle();
        header.setFont(bold);
        header.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
        header.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        header.setBorderBottom(BorderStyle.THIN);
        percent = style("0.0%");
        percentChange = style("+0.0%;-0.0%;0.0%");
        integer = style("0");
        decimal = style("0.00");
        dateTime = style("yyyy-mm-dd hh:mm");
        wrap = workbook.createCellStyle();
        wrap.setWrapText(true);
        Font big = workbook.createFont();
        big.setBold(true);
        big.setFontHeightInPoints((short) 14);
        titleStyle = workbook.createCellStyle();
        titleStyle.setFont(big);
    }

    private CellStyle style(String format) {
        CellStyle s = workbook.createCellStyle();
        s.setDataFormat(workbook.createDataFormat().getFormat(format));
        return s;
    }

    static byte[] render(Bulletin b, String base) {
        BulletinXlsx x = new BulletinXlsx(base);
        try (XSSFWorkbook wb = x.workbook) {
            x.summary(b);
            x.rankings(b);
            x.lists(b);
            x.points(b);
            x.problems(b);
            x.notes(b);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the bulletin workbook", e);
        }
    }

    private Sheet sheet(String name, int headerRow, int[] widths, String... titles) {
        Sheet sheet = workbook.createSheet(name);
        Row row = sheet.createRow(headerRow);
        for (int i = 0; i < titles.length; i++) {
            Cell c = row.createCell(i);
            c.setCellValue(titles[i]);
            c.setCellStyle(header);
            sheet.setColumnWidth(i, widths[i] * 256);
        }
        sheet.createFreezePane(0, headerRow + 1);
        return sheet;
    }

    private static void text(Row row, int column, String value) {
        if (value != null) {
            row.createCell(column).setCellValue(value);
        }
    }

    private static void number(Row row, int column, Number value, CellStyle style) {
        if (value != null) {
            Cell c = row.createCell(column);
            c.setCellValue(value.doubleValue());
            c.setCellStyle(style);
        }
    }

    private CellStyle styleOf(String unit, boolean change) {
        return switch (unit) {
            case "ratio" -> change ? percentChange : percent;
            case "hours" -> decimal;
            default -> integer;
        };
    }

    private void summary(Bulletin b) {
        Sheet sheet = sheet("概况", SUMMARY_HEADER_ROW, new int[] {24, 20, 12, 12, 12, 70}, "指标", "键", "本周", "上周", "变化", "口径");
        Row title = sheet.createRow(0);
        text(title, 0, b.title());
        title.getCell(0).setCellStyle(titleStyle);
        text(sheet.createRow(1), 0, b.weekText() + " · 区域代码 " + b.area().code());
        if (b.campaign() != null) {
            text(sheet.createRow(2), 0, BulletinText.campaign(b));
        }
        int r = SUMMARY_HEADER_ROW + 1;
        for (String[] f : Bulletin.FIGURES) {
            IndicatorReport.Indicator now = b.current().get(f[0]);
            IndicatorReport.Indicator before = b.previous().get(f[0]);
            Row row = sheet.createRow(r++);
            text(row, 0, f[1]);
            text(row, 1, f[0]);
            number(row, 2, now.value(), styleOf(now.unit(), false));
            number(row, 3, before.value(), styleOf(now.unit(), false));
            number(row, 4, BulletinText.difference(now, before), styleOf(now.unit(), true));
            text(row, 5, now.formulaZh());
        }
    }

    private void rankings(Bulletin b) {
        Sheet sheet = sheet("排名", 0, new int[] {8, 8, 10, 8, 18, 28, 10, 10, 12, 10, 12, 14, 12, 8}, "类别", "排名", "上周排名", "变化", "代码",
                "名称", "得分", "结案率", "按期结案率", "返工率", "督查得分率", "外部测评得分率", "应结案问题数", "榜单");
        int r = 1;
        if (b.subRanking() != null) {
            r = ranking(sheet, r, Bulletin.levelName(b.subLevel()), b.subRanking());
        }
        ranking(sheet, r, Bulletin.levelName("department"), b.departmentRanking());
    }

    private int ranking(Sheet sheet, int r, String level, WeeklyRanking ranking) {
        for (WeeklyRanking.Row x : ranking.rows()) {
            Row row = sheet.createRow(r++);
            text(row, 0, level);
            number(row, 1, x.rank(), integer);
            number(row, 2, x.previousRank(), integer);
            text(row, 3, BulletinText.rankChange(x));
            text(row, 4, x.code());
            text(row, 5, x.name());
            number(row, 6, x.score(), decimal);
            number(row, 7, x.components().closureRate(), percent);
            number(row, 8, x.components().onTimeClosureRate(), percent);
            number(row, 9, x.components().reworkRate(), percent);
            number(row, 10, x.components().inspectionScoreRate(), percent);
            number(row, 11, x.components().externalScore(), percent);
            number(row, 12, x.problems(), integer);
            text(row, 13, x.list() == null ? null : x.list().equals("RED") ? "红榜" : "黑榜");
        }
        return r;
    }

    private void lists(Bulletin b) {
        Sheet sheet = sheet("红黑榜", 0, new int[] {8, 8, 8, 30, 10}, "榜单", "类别", "排名", "名称", "得分");
        int r = 1;
        for (String list : List.of("RED", "BLACK")) {
            for (String[] x : BulletinLists.rows(b, list)) {
                Row row = sheet.createRow(r++);
                text(row, 0, list.equals("RED") ? "红榜" : "黑榜");
                text(row, 1, x[0]);
                number(row, 2, Integer.parseInt(x[1]), integer);
                text(row, 3, x[2]);
                if (!x[3].equals("—")) {
                    number(row, 4, Double.parseDouble(x[3]), decimal);
                }
            }
        }
    }

    private void points(Bulletin b) {
        Sheet sheet = sheet("重点点位", 0, new int[] {6, 10, 30, 18, 22, 10, 10, 10, 60, 60}, "序号", "点位编号", "点位", "网格代码", "网格",
                "未结问题数", "最差灯色", "问题编号", "整改前照片", "整改后照片");
        int r = 1;
        for (Bulletin.WorstPoint p : b.worstPoints()) {
            Row row = sheet.createRow(r);
            number(row, 0, r, integer);
            number(row, 1, p.id(), integer);
            text(row, 2, p.name());
            text(row, 3, p.gridCode());
            text(row, 4, p.gridName());
            number(row, 5, p.open(), integer);
            text(row, 6, BulletinText.light(p.light()));
            number(row, 7, p.problemId(), integer);
            links(row, 8, p.before());
            links(row, 9, p.after());
            r++;
        }
    }

    private void links(Row row, int column, List<UUID> photos) {
        if (photos.isEmpty()) {
            return;
        }
        Cell c = row.createCell(column);
        c.setCellValue(photos.stream().map(id -> base + "/api/photos/" + id).collect(Collectors.joining("\n")));
        c.setCellStyle(wrap);
        Hyperlink link = workbook.getCreationHelper().createHyperlink(HyperlinkType.URL);
        link.setAddress(base + "/api/photos/" + photos.get(0));
        c.setHyperlink(link);
    }

    private void problems(Bulletin b) {
        Sheet sheet = sheet("超期与督办", 0, new int[] {10, 10, 16, 28, 18, 22, 18, 10, 20, 10, 10}, "类型", "编号", "类别", "点位", "网格代码", "网格",
                "处置时限", "超期天数", "责任部门", "催办次数", "督办次数");
        int r = 1;
        for (Bulletin.ProblemLine l : b.overdue()) {
            problem(sheet.createRow(r++), "超期", l);
        }
        for (Bulletin.ProblemLine l : b.urged()) {
            problem(sheet.createRow(r++), "催办督办", l);
        }
    }

    private void problem(Row row, String kind, Bulletin.ProblemLine l) {
        text(row, 0, kind);
        number(row, 1, l.id(), integer);
        text(row, 2, l.category());
        text(row, 3, l.point());
        text(row, 4, l.gridCode());
        text(row, 5, l.gridName());
        if (l.deadline() != null) {
            Cell c = row.createCell(6);
            c.setCellValue(l.deadline());
            c.setCellStyle(dateTime);
        }
        number(row, 7, l.daysOverdue(), integer);
        text(row, 8, l.department());
        number(row, 9, l.urges(), integer);
        number(row, 10, l.supervisions(), integer);
    }

    private void notes(Bulletin b) {
        Sheet sheet = sheet("备注", 0, new int[] {18, 24, 90}, "代码", "区域", "备注");
        int r = 1;
        for (Bulletin.Note n : b.notes()) {
            Row row = sheet.createRow(r++);
            text(row, 0, n.code());
            text(row, 1, n.name());
            text(row, 2, n.text());
        }
    }
}
