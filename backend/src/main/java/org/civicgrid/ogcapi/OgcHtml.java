package org.civicgrid.ogcapi;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The HTML encoding: plain pages (no scripts, no inline styles: the CSP forbids them) built from the same
 * JSON the API answers, every text escaped.
 */
final class OgcHtml {

    private OgcHtml() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>" + escape(title) + " · CivicGrid OGC API</title>"
                + "<link rel=\"stylesheet\" href=\"/css/app.css\"></head><body><main class=\"ogc-page\"><h1>" + escape(title) + "</h1>"
                + body + "</main></body></html>\n";
    }

    /** The links of a resource as a list of anchors with their relation and media type. */
    static String links(JsonNode links) {
        StringBuilder out = new StringBuilder("<h2>Links</h2><ul>");
        for (JsonNode link : links) {
            out.append("<li><a href=\"").append(escape(link.path("href").asString())).append("\">")
                    .append(escape(link.path("title").asString(link.path("rel").asString()))).append("</a> <small>")
                    .append(escape(link.path("rel").asString())).append(" · ").append(escape(link.path("type").asString()))
                    .append("</small></li>");
        }
        return out.append("</ul>").toString();
    }

    static String definitions(Map<String, String> entries) {
        StringBuilder out = new StringBuilder("<dl>");
        entries.forEach((k, v) -> out.append("<dt>").append(escape(k)).append("</dt><dd>").append(escape(v)).append("</dd>"));
        return out.append("</dl>").toString();
    }

    /** Features as a table: id, then every property in the order of the first feature. */
    static String featureTable(JsonNode features, List<String> columns) {
        StringBuilder out = new StringBuilder("<table><thead><tr><th>id</th>");
        columns.forEach(c -> out.append("<th>").append(escape(c)).append("</th>"));
        out.append("<th>geometry</th></tr></thead><tbody>");
        for (JsonNode feature : features) {
            out.append("<tr><td>").append(escape(feature.path("id").asString())).append("</td>");
            for (String c : columns) {
                JsonNode value = feature.path("properties").path(c);
                out.append("<td>").append(value.isNull() || value.isMissingNode() ? "" : escape(value.asString())).append("</td>");
            }
            out.append("<td>").append(escape(feature.path("geometry").path("type").asString())).append("</td></tr>");
        }
        return out.append("</tbody></table>").toString();
    }
}
