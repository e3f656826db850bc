package org.civicgrid.bulletins;

import java.util.List;
import java.util.UUID;

import org.civicgrid.indicators.IndicatorReport;
import org.civicgrid.ranking.WeeklyRanking;

/**
 * The printable HTML bulletin: no scripts, no inline styles (the CSP forbids both), the stylesheet /css/bulletin.css, and every
 * text from the database escaped. {@code base} is the context path the links start with.
 */
final class BulletinHtml {

    private final StringBuilder out = new StringBuilder(32_768);
    private final String base;

    private BulletinHtml(String base) {
        this.base = base;
    }

    static String render(Bulletin b, String base) {
        return new BulletinHtml(base).write(b);
    }

    /** HTML-escapes text for element content and double-quoted attributes. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    private BulletinHtml raw(String html) {
        out.append(html);
        return this;
    }

    private BulletinHtml text(Object text) {
        out.append(escape(text == null ? "" : text.toString()));
        return this;
    }

    private void element(String tag, String cssClass, Object text) {
        raw("<").raw(tag);
        if (cssClass != null) {
            raw(" class=\"").raw(cssClass).raw("\"");
        }
        raw(">").text(text).raw("</").raw(tag).raw(">");
    }

    private void row(String cell, Object... values) {
        raw("<tr>");
        for (Object v : values) {
            element(cell, null, v);
        }
        raw("</tr>\n");
    }

    private String write(Bulletin b) {
        raw("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>").text(b.title()).raw(" ")
                .text(b.week()).raw("</title>\n<link rel=\"stylesheet\" href=\"").text(base + "/css/bulletin.css").raw("\">\n</head>\n")
                .raw("<body class=\"bulletin\">\n<header>\n");
        element("h1", null, b.title());
        element("p", "week", b.weekText() + " · 区域代码 " + b.area().code());
        if (b.campaign() != null) {
            element("p", "campaign", BulletinText.campaign(b));
        }
        element("p", "stock", "存量（未结、超期、灯色）统计时点：" + BulletinText.DATE_TIME.format(b.stockAt().atZone(org.civicgrid.indicators.Period.ZONE)));
        raw("</header>\n");

        raw("<section class=\"summary\">\n");
        element("h2", null, "一、本周主要指标");
        raw("<table>\n<thead>");
        row("th", "指标", "本周", "上周", "变化", "口径");
        raw("</thead>\n<tbody>\n");
        for (String[] f : Bulletin.FIGURES) {
            IndicatorReport.Indicator now = b.current().get(f[0]);
            IndicatorReport.Indicator before = b.previous().get(f[0]);
            raw("<tr data-key=\"").text(f[0]).raw("\">");
            element("th", null, f[1]);
            element("td", "num", BulletinText.value(now));
            element("td", "num", BulletinText.value(before));
            element("td", "num", BulletinText.change(now, before));
            element("td", "formula", now.formulaZh());
            raw("</tr>\n");
        }
        raw("</tbody>\n</table>\n</section>\n");

        raw("<section class=\"rankings\">\n");
        element("h2", null, "二、排名");
        if (b.subRanking() != null) {
            ranking(BulletinText.rankingHeading(b), b.subRanking(), b.subLevel());
        }
        ranking("部门排名", b.departmentRanking(), "department");
        raw("</section>\n");

        raw("<section class=\"lists\">\n");
        element("h2", null, "三、红黑榜");
        lists("红榜", "RED", b);
        lists("黑榜", "BLACK", b);
        raw("</section>\n");

        raw("<section class=\"points\">\n");
        element("h2", null, "四、重点点位（未结问题最多的 " + BulletinService.WORST_POINTS + " 个点位）");
        if (b.worstPoints().isEmpty()) {
            element("p", "empty", "本周末无未结问题的点位。");
        } else {
            raw("<table>\n<thead>");
            row("th", "序号", "点位", "网格", "未结问题", "最差灯色", "整改前", "整改后");
            raw("</thead>\n<tbody>\n");
            int i = 1;
            for (Bulletin.WorstPoint p : b.worstPoints()) {
                raw("<tr>");
                element("td", "num", i++);
                element("td", null, p.name());
                element("td", null, p.gridName() == null ? p.gridCode() : p.gridName());
                element("td", "num", p.open());
                element("td", p.light() == null ? null : "light-" + p.light().toLowerCase(), BulletinText.light(p.light()));
                photos(p.before(), "整改前");
                photos(p.after(), "整改后");
                raw("</tr>\n");
            }
            raw("</tbody>\n</table>\n");
        }
        raw("</section>\n");

        raw("<section class=\"overdue\">\n");
        element("h2", null, "五、超期与督办");
        element("h3", null, "超期问题（共 " + b.overdueTotal() + " 件" + (b.overdueTotal() > b.overdue().size() ? "，列出前 " + b.overdue().size() + " 件" : "") + "）");
        problems(b.overdue(), false);
        element("h3", null, "本周催办、督办问题（共 " + b.urgedTotal() + " 件" + (b.urgedTotal() > b.urged().size() ? "，列出前 " + b.urged().size() + " 件" : "") + "）");
        problems(b.urged(), true);
        raw("</section>\n");

        raw("<section class=\"notes\">\n");
        element("h2", null, "六、情况说明");
        raw("<ul>\n");
        for (Bulletin.Note n : b.notes()) {
            raw("<li>");
            element("strong", null, n.name());
            raw("：").text(n.text()).raw("</li>\n");
        }
        raw("</ul>\n</section>\n");
        element("footer", null, "生成时间 " + BulletinText.DATE_TIME.format(b.generatedAt().atZone(org.civicgrid.indicators.Period.ZONE))
                + " · 数据与领导驾驶舱同源");
        raw("\n</body>\n</html>\n");
        return out.toString();
    }

    private void ranking(String heading, WeeklyRanking ranking, String level) {
        element("h3", null, heading);
        if (ranking.rows().isEmpty()) {
            element("p", "empty", "无参与排名的单位。");
            return;
        }
        raw("<table class=\"ranking\" data-level=\"").text(level).raw("\">\n<thead>");
        row("th", "排名", "变化", "名称", "得分", "结案率", "按期结案率", "返工率", "榜单");
        raw("</thead>\n<tbody>\n");
        for (WeeklyRanking.Row r : ranking.rows()) {
            raw("<tr data-code=\"").text(r.code()).raw("\">");
            element("td", "num", r.rank());
            element("td", r.change() == null || r.change() == 0 ? "change" : r.change() > 0 ? "change up" : "change down", BulletinText.rankChange(r));
            element("td", null, r.name());
            element("td", "num", BulletinText.score(r.score()));
            element("td", "num", BulletinText.rate(r.components().closureRate()));
            element("td", "num", BulletinText.rate(r.components().onTimeClosureRate()));
            element("td", "num", BulletinText.rate(r.components().reworkRate()));
            element("td", r.list() == null ? null : "list-" + r.list().toLowerCase(), r.list() == null ? "" : r.list().equals("RED") ? "红榜" : "黑榜");
            raw("</tr>\n");
        }
        raw("</tbody>\n</table>\n");
    }

    private void lists(String heading, String list, Bulletin b) {
        element("h3", "list-" + list.toLowerCase(), heading);
        List<String[]> rows = BulletinLists.rows(b, list);
        if (rows.isEmpty()) {
            element("p", "empty", "本周无。");
            return;
        }
        raw("<table>\n<thead>");
        row("th", "类别", "排名", "名称", "得分");
        raw("</thead>\n<tbody>\n");
        for (String[] r : rows) {
            row("td", (Object[]) r);
        }
        raw("</tbody>\n</table>\n");
    }

    private void photos(List<UUID> ids, String label) {
        raw("<td class=\"photos\">");
        for (UUID id : ids) {
            raw("<a href=\"").text(base + "/api/photos/" + id).raw("\"><img src=\"").text(base + "/api/photos/" + id + "/thumbnail")
                    .raw("\" alt=\"").text(label).raw("\"></a>");
        }
        raw("</td>");
    }

    private void problems(List<Bulletin.ProblemLine> lines, boolean urged) {
        if (lines.isEmpty()) {
            element("p", "empty", "无。");
            return;
        }
        raw("<table class=\"problems\">\n<thead>");
        if (urged) {
            row("th", "编号", "类别", "点位", "网格", "处置时限", "超期天数", "责任部门", "催办/督办");
        } else {
            row("th", "编号", "类别", "点位", "网格", "处置时限", "超期天数", "责任部门");
        }
        raw("</thead>\n<tbody>\n");
        for (Bulletin.ProblemLine l : lines) {
            raw("<tr>");
            element("td", "num", l.id());
            element("td", null, l.category());
            element("td", null, BulletinText.orDash(l.point()));
            element("td", null, BulletinText.grid(l));
            element("td", null, l.deadline() == null ? "—" : BulletinText.DATE_TIME.format(l.deadline()));
            element("td", "num", BulletinText.orDash(l.daysOverdue()));
            element("td", null, BulletinText.orDash(l.department()));
            if (urged) {
                element("td", null, BulletinText.moves(l));
            }
            raw("</tr>\n");
        }
        raw("</tbody>\n</table>\n");
    }
}
