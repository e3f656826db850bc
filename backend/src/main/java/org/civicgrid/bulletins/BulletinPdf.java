package org.civicgrid.bulletins;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.civicgrid.indicators.IndicatorReport;
import org.civicgrid.indicators.Period;
import org.civicgrid.ranking.WeeklyRanking;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;

/** The PDF bulletin (A4, OpenPDF) with an embedded CJK font and the worst points' thumbnails embedded as images. */
final class BulletinPdf {

    private static final Color RED = new Color(0xBB, 0, 0);
    private static final Color HEADER = new Color(0xF0, 0xE6, 0xE6);

    private final Font title;
    private final Font heading;
    private final Font subheading;
    private final Font body;
    private final Font small;
    private final Font bold;
    private final Function<UUID, byte[]> thumbnails;

    private BulletinPdf(BaseFont font, Function<UUID, byte[]> thumbnails) {
        this.title = new Font(font, 17, Font.NORMAL, RED);
        this.heading = new Font(font, 13, Font.NORMAL, Color.BLACK);
        this.subheading = new Font(font, 11, Font.NORMAL, Color.BLACK);
        this.body = new Font(font, 9, Font.NORMAL, Color.BLACK);
        this.small = new Font(font, 7.5f, Font.NORMAL, Color.DARK_GRAY);
        this.bold = new Font(font, 9, Font.NORMAL, RED);
        this.thumbnails = thumbnails;
    }

    /** {@code thumbnails} reads a photo's JPEG thumbnail (null when it cannot be read; the photo is then left out). */
    static byte[] render(Bulletin b, BaseFont font, Function<UUID, byte[]> thumbnails) {
        return new BulletinPdf(font, thumbnails).write(b);
    }

    private byte[] write(Bulletin b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 36, 36, 40, 40);
        try {
            PdfWriter writer = PdfWriter.getInstance(document, out);
            writer.setPdfVersion(PdfWriter.VERSION_1_7);
            document.addTitle(b.title());
            document.addSubject(b.weekText());
            document.addCreator("CivicGrid");
            document.open();

            Paragraph t = new Paragraph(b.title(), title);
            t.setAlignment(Element.ALIGN_CENTER);
            document.add(t);
            centered(document, b.weekText() + " · 区域代码 " + b.area().code(), body);
            if (b.campaign() != null) {
                centered(document, BulletinText.campaign(b), body);
            }
            centered(document, "存量统计时点：" + BulletinText.DATE_TIME.format(b.stockAt().atZone(Period.ZONE)), small);

            heading(document, "一、本周主要指标");
            PdfPTable summary = table(new float[] {3, 1.6f, 1.6f, 2, 5});
            header(summary, "指标", "本周", "上周", "变化", "口径");
            for (String[] f : Bulletin.FIGURES) {
                IndicatorReport.Indicator now = b.current().get(f[0]);
                IndicatorReport.Indicator before = b.previous().get(f[0]);
                cell(summary, f[1], body);
                number(summary, BulletinText.value(now));
                number(summary, BulletinText.value(before));
                number(summary, BulletinText.change(now, before));
                cell(summary, now.formulaZh(), small);
            }
            document.add(summary);

            heading(document, "二、排名");
            if (b.subRanking() != null) {
                ranking(document, BulletinText.rankingHeading(b), b.subRanking());
            }
            ranking(document, "部门排名", b.departmentRanking());

            heading(document, "三、红黑榜");
            lists(document, "红榜", "RED", b);
            lists(document, "黑榜", "BLACK", b);

            heading(document, "四、重点点位（未结问题最多的 " + BulletinService.WORST_POINTS + " 个点位）");
            if (b.worstPoints().isEmpty()) {
                document.add(new Paragraph("本周末无未结问题的点位。", body));
            } else {
                PdfPTable points = table(new float[] {0.7f, 3.2f, 2.4f, 1.1f, 1.1f, 3, 3});
                header(points, "序号", "点位", "网格", "未结", "最差灯色", "整改前", "整改后");
                int i = 1;
                for (Bulletin.WorstPoint p : b.worstPoints()) {
                    number(points, Integer.toString(i++));
                    cell(points, p.name(), body);
                    cell(points, p.gridName() == null ? p.gridCode() : p.gridName(), body);
                    number(points, Long.toString(p.open()));
                    cell(points, BulletinText.light(p.light()), body);
                    photos(points, p.before());
                    photos(points, p.after());
                }
                document.add(points);
            }

            heading(document, "五、超期与督办");
            subheading(document, "超期问题（共 " + b.overdueTotal() + " 件" + (b.overdueTotal() > b.overdue().size() ? "，列出前 " + b.overdue().size()
                    + " 件" : "") + "）");
            problems(document, b.overdue(), false);
            subheading(document, "本周催办、督办问题（共 " + b.urgedTotal() + " 件" + (b.urgedTotal() > b.urged().size() ? "，列出前 "
                    + b.urged().size() + " 件" : "") + "）");
            problems(document, b.urged(), true);

            heading(document, "六、情况说明");
            for (Bulletin.Note n : b.notes()) {
                Paragraph p = new Paragraph("", body); // a paragraph without a font would pull in (unembedded) Helvetica
                p.add(new Chunk(n.name() + "：", bold));
                p.add(new Chunk(n.text(), body));
                p.setSpacingAfter(2);
                document.add(p);
            }
            Paragraph footer = new Paragraph("生成时间 " + BulletinText.DATE_TIME.format(b.generatedAt().atZone(Period.ZONE)) + " · 数据与领导驾驶舱同源",
                    small);
            footer.setAlignment(Element.ALIGN_RIGHT);
            footer.setSpacingBefore(10);
            document.add(footer);
            document.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("Cannot write the bulletin PDF", e);
        }
        return out.toByteArray();
    }

    private void centered(Document document, String text, Font font) throws DocumentException {
        Paragraph p = new Paragraph(text, font);
        p.setAlignment(Element.ALIGN_CENTER);
        document.add(p);
    }

    private void heading(Document document, String text) throws DocumentException {
        Paragraph p = new Paragraph(text, heading);
        p.setSpacingBefore(10);
        p.setSpacingAfter(4);
        document.add(p);
    }

    private void subheading(Document document, String text) throws DocumentException {
        Paragraph p = new Paragraph(text, subheading);
        p.setSpacingBefore(4);
        p.setSpacingAfter(3);
        document.add(p);
    }

    private static PdfPTable table(float[] widths) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setHeaderRows(1);
        table.setSpacingAfter(4);
        return table;
    }

    private void header(PdfPTable table, String... titles) {
        for (String t : titles) {
            PdfPCell c = new PdfPCell(new Phrase(t, body));
            c.setBackgroundColor(HEADER);
            c.setPadding(3);
            table.addCell(c);
        }
    }

    private static void cell(PdfPTable table, String text, Font font) {
        PdfPCell c = new PdfPCell(new Phrase(text == null ? "—" : text, font));
        c.setPadding(3);
        table.addCell(c);
    }

    private void number(PdfPTable table, String text) {
        PdfPCell c = new PdfPCell(new Phrase(text, body));
        c.setHorizontalAlignment(Element.ALIGN_RIGHT);
        c.setPadding(3);
        table.addCell(c);
    }

    private void ranking(Document document, String heading, WeeklyRanking ranking) throws DocumentException {
        subheading(document, heading);
        if (ranking.rows().isEmpty()) {
            document.add(new Paragraph("无参与排名的单位。", body));
            return;
        }
        PdfPTable table = table(new float[] {0.8f, 0.9f, 4, 1.2f, 1.3f, 1.5f, 1.2f, 1});
        header(table, "排名", "变化", "名称", "得分", "结案率", "按期结案率", "返工率", "榜单");
        for (WeeklyRanking.Row r : ranking.rows()) {
            number(table, Integer.toString(r.rank()));
            cell(table, BulletinText.rankChange(r), body);
            cell(table, r.name(), body);
            number(table, BulletinText.score(r.score()));
            number(table, BulletinText.rate(r.components().closureRate()));
            number(table, BulletinText.rate(r.components().onTimeClosureRate()));
            number(table, BulletinText.rate(r.components().reworkRate()));
            cell(table, r.list() == null ? "" : r.list().equals("RED") ? "红榜" : "黑榜", r.list() == null ? body : bold);
        }
        document.add(table);
    }

    private void lists(Document document, String heading, String list, Bulletin b) throws DocumentException {
        subheading(document, heading);
        List<String[]> rows = BulletinLists.rows(b, list);
        if (rows.isEmpty()) {
            document.add(new Paragraph("本周无。", body));
            return;
        }
        PdfPTable table = table(new float[] {1, 1, 5, 1.2f});
        header(table, "类别", "排名", "名称", "得分");
        for (String[] r : rows) {
            cell(table, r[0], body);
            number(table, r[1]);
            cell(table, r[2], body);
            number(table, r[3]);
        }
        document.add(table);
    }

    private void photos(PdfPTable table, List<UUID> ids) {
        PdfPCell c = new PdfPCell();
        c.setPadding(2);
        boolean any = false;
        for (UUID id : ids) {
            byte[] jpeg = thumbnails.apply(id);
            if (jpeg == null) {
                continue;
            }
            try {
                Image image = Image.getInstance(jpeg);
                image.scaleToFit(40, 40);
                Chunk chunk = new Chunk(image, 0, 0, true);
                chunk.setFont(body); // else the image's placeholder character is set in Helvetica
                Paragraph holder = new Paragraph("", body);
                holder.add(chunk);
                c.addElement(holder);
                any = true;
            } catch (Exception e) {
                // an unreadable thumbnail is left out
            }
        }
        if (!any) {
            c.addElement(new Phrase("—", body));
        }
        table.addCell(c);
    }

    private void problems(Document document, List<Bulletin.ProblemLine> lines, boolean urged) throws DocumentException {
        if (lines.isEmpty()) {
            document.add(new Paragraph("无。", body));
            return;
        }
        PdfPTable table = urged ? table(new float[] {1, 1.8f, 2.6f, 2.4f, 2, 1, 2, 1.6f}) : table(new float[] {1, 1.8f, 2.8f, 2.6f, 2, 1, 2.2f});
        if (urged) {
            header(table, "编号", "类别", "点位", "网格", "处置时限", "超期天数", "责任部门", "催办/督办");
        } else {
            header(table, "编号", "类别", "点位", "网格", "处置时限", "超期天数", "责任部门");
        }
        for (Bulletin.ProblemLine l : lines) {
            number(table, Long.toString(l.id()));
            cell(table, l.category(), body);
            cell(table, BulletinText.orDash(l.point()), body);
            cell(table, BulletinText.grid(l), small);
            cell(table, l.deadline() == null ? "—" : BulletinText.DATE_TIME.format(l.deadline()), body);
            number(table, BulletinText.orDash(l.daysOverdue()));
            cell(table, BulletinText.orDash(l.department()), body);
            if (urged) {
                cell(table, BulletinText.moves(l), body);
            }
        }
        document.add(table);
    }
}
