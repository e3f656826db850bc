package org.civicgrid.ogcapi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OGC API – Features (Part 1 core with GeoJSON, HTML and OpenAPI 3.0; Part 2 CRS by reference; Part 3
 * queryables and CQL2-text filters) at {@code /ogc}, so QGIS and GDAL can load the layers with an API
 * token. Every read is scoped like the rest of the API: features outside the caller's areas are absent.
 */
@RestController
@ReadOnlyWork
class OgcApiController {

    static final String ROOT = "/ogc";
    static final MediaType GEO_JSON = MediaType.parseMediaType("application/geo+json");
    static final MediaType OPENAPI = MediaType.parseMediaType("application/vnd.oai.openapi+json;version=3.0");
    static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");
    static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    static final String REL_CONFORMANCE = "http://www.opengis.net/def/rel/ogc/1.0/conformance";
    static final String REL_DATA = "http://www.opengis.net/def/rel/ogc/1.0/data";
    static final String REL_QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables";

    static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
            "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2");

    /** The query parameters an items request may carry; anything else is refused (Part 1, /req/core/query-param-unknown). */
    static final Set<String> ITEMS_PARAMETERS = Set.of("f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang",
            "filter-crs", OgcLinks.TOKEN_PARAMETER);
    /** Spring Security's own form field, tolerated on every request; never copied into links. */
    static final String CSRF_PARAMETER = "_csrf";
    static final Set<String> FEATURE_PARAMETERS = Set.of("f", "crs", OgcLinks.TOKEN_PARAMETER);

    private final OgcCatalog catalog;
    private final FeatureRepository features;
    private final ObjectMapper json;

    OgcApiController(OgcCatalog catalog, FeatureRepository features, ObjectMapper json) {
        this.catalog = catalog;
        this.features = features;
        this.json = json;
    }

    @GetMapping({ROOT, ROOT + "/"})
    ResponseEntity<byte[]> landing(CurrentUser caller, HttpServletRequest request) {
        boolean html = wantsHtml(request);
        OgcLinks links = OgcLinks.of(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "CivicGrid OGC API – Features");
        body.put("description", "Areas, grids, measurement points and problems of CivicGrid inside your area (" + caller.username() + ").");
        List<Map<String, Object>> list = new ArrayList<>(selfAndAlternate(links, "", html, MediaType.APPLICATION_JSON_VALUE, "this document"));
        list.add(OgcLinks.link(links.href("/api", Map.of()), "service-desc", OPENAPI.toString(), "the API definition (OpenAPI 3.0)"));
        list.add(OgcLinks.link(links.href("/conformance", "json"), "conformance", MediaType.APPLICATION_JSON_VALUE, "conformance classes"));
        list.add(OgcLinks.link(links.href("/conformance", "json"), REL_CONFORMANCE, MediaType.APPLICATION_JSON_VALUE, "conformance classes"));
        list.add(OgcLinks.link(links.href("/collections", "json"), "data", MediaType.APPLICATION_JSON_VALUE, "collections"));
        list.add(OgcLinks.link(links.href("/collections", "json"), REL_DATA, MediaType.APPLICATION_JSON_VALUE, "collections"));
        list.add(OgcLinks.link(links.href("/collections", "html"), "data", MediaType.TEXT_HTML_VALUE, "collections as HTML"));
        body.put("links", list);
        if (html) {
            JsonNode tree = json.valueToTree(body);
            return html(OgcHtml.page(String.valueOf(body.get("title")), "<p>" + OgcHtml.escape(String.valueOf(body.get("description"))) + "</p>"
                    + OgcHtml.links(tree.path("links"))));
        }
        return json(MediaType.APPLICATION_JSON, body, null);
    }

    @GetMapping(ROOT + "/conformance")
    ResponseEntity<byte[]> conformance(CurrentUser caller, HttpServletRequest request) {
        if (wantsHtml(request)) {
            StringBuilder list = new StringBuilder("<ul>");
            CONFORMANCE.forEach(c -> list.append("<li>").append(OgcHtml.escape(c)).append("</li>"));
            return html(OgcHtml.page("Conformance", list.append("</ul>").toString()));
        }
        return json(MediaType.APPLICATION_JSON, Map.of("conformsTo", CONFORMANCE), null);
    }

    @GetMapping(ROOT + "/api")
    ResponseEntity<byte[]> api(CurrentUser caller, HttpServletRequest request) {
        wantsHtml(request); // checks f
        OgcLinks links = OgcLinks.of(request);
        List<String> ids = catalog.all().stream().map(OgcCatalog.Collection::id).toList();
        return bytes(OPENAPI, json.writeValueAsString(OgcOpenApi.document(json, links.base(), ids, MAX_LIMIT, DEFAULT_LIMIT)), null);
    }

    @GetMapping(ROOT + "/collections")
    ResponseEntity<byte[]> collections(CurrentUser caller, HttpServletRequest request) {
        boolean html = wantsHtml(request);
        OgcLinks links = OgcLinks.of(request);
        List<Map<String, Object>> collections = new ArrayList<>();
        Map<String, FeatureRepository.Extent> typeExtents = features.pointTypeExtents(caller.scope());
        for (OgcCatalog.Collection c : catalog.all()) {
            FeatureRepository.Extent extent = c.typeCode() == null ? features.extent(c.source(), null, caller.scope())
                    : typeExtents.getOrDefault(c.typeCode(), FeatureRepository.Extent.NONE);
            collections.add(collection(c, extent, links));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("links", selfAndAlternate(links, "/collections", html, MediaType.APPLICATION_JSON_VALUE, "the collections"));
        body.put("crs", OgcCrs.uris());
        body.put("collections", collections);
        if (html) {
            StringBuilder table = new StringBuilder("<table><thead><tr><th>id</th><th>title</th><th>description</th></tr></thead><tbody>");
            for (Map<String, Object> c : collections) {
                table.append("<tr><td><a href=\"").append(OgcHtml.escape(links.href("/collections/" + c.get("id"), "html"))).append("\">")
                        .append(OgcHtml.escape(String.valueOf(c.get("id")))).append("</a></td><td>").append(OgcHtml.escape(String.valueOf(c.get("title"))))
                        .append("</td><td>").append(OgcHtml.escape(String.valueOf(c.get("description")))).append("</td></tr>");
            }
            return html(OgcHtml.page("Collections", table.append("</tbody></table>").toString()));
        }
        return json(MediaType.APPLICATION_JSON, body, null);
    }

    @GetMapping(ROOT + "/collections/{collectionId}")
    ResponseEntity<byte[]> collection(CurrentUser caller, HttpServletRequest request, @PathVariable String collectionId) {
        boolean html = wantsHtml(request);
        OgcLinks links = OgcLinks.of(request);
        OgcCatalog.Collection c = find(collectionId);
        Map<String, Object> body = collection(c, features.extent(c.source(), c.typeCode(), caller.scope()), links);
        if (html) {
            JsonNode tree = json.valueToTree(body);
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("id", c.id());
            facts.put("description", c.description());
            facts.put("extent", tree.path("extent").toString());
            facts.put("crs", String.join(" ", OgcCrs.uris()));
            return html(OgcHtml.page(c.title(), OgcHtml.definitions(facts) + OgcHtml.links(tree.path("links"))));
        }
        return json(MediaType.APPLICATION_JSON, body, null);
    }

    @GetMapping(ROOT + "/collections/{collectionId}/queryables")
    ResponseEntity<byte[]> queryables(CurrentUser caller, HttpServletRequest request, @PathVariable String collectionId) {
        boolean html = wantsHtml(request);
        OgcLinks links = OgcLinks.of(request);
        OgcCatalog.Collection c = find(collectionId);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("geometry", Map.of("title", "geometry", "format", "geometry-" + c.source().geometryKind,
                "x-ogc-role", "primary-geometry"));
        for (FeatureSource.Property p : c.source().properties) {
            Map<String, Object> schema = new LinkedHashMap<>();
            schema.put("title", p.title());
            switch (p.type()) {
                case STRING -> schema.put("type", "string");
                case INTEGER -> schema.put("type", "integer");
                case DATE -> {
                    schema.put("type", "string");
                    schema.put("format", "date");
                }
                case TIMESTAMP -> {
                    schema.put("type", "string");
                    schema.put("format", "date-time");
                }
            }
            if (!p.values().isEmpty()) {
                schema.put("enum", p.values());
            }
            properties.put(p.name(), schema);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("$schema", "https://json-schema.org/draft/2019-09/schema");
        body.put("$id", links.href("/collections/" + c.id() + "/queryables", Map.of()));
        body.put("type", "object");
        body.put("title", c.title());
        body.put("properties", properties);
        body.put("additionalProperties", false);
        if (html) {
            StringBuilder table = new StringBuilder("<table><thead><tr><th>queryable</th><th>type</th><th>title</th></tr></thead><tbody>");
            for (FeatureSource.Property p : c.source().properties) {
                table.append("<tr><td>").append(OgcHtml.escape(p.name())).append("</td><td>").append(p.type().name().toLowerCase())
                        .append("</td><td>").append(OgcHtml.escape(p.title())).append("</td></tr>");
            }
            return html(OgcHtml.page("Queryables: " + c.title(), table.append("</tbody></table>").toString()));
        }
        return json(SCHEMA_JSON, body, null);
    }

    @GetMapping(ROOT + "/collections/{collectionId}/items")
    ResponseEntity<byte[]> items(CurrentUser caller, HttpServletRequest request, @PathVariable String collectionId) {
        refuseUnknownParameters(request, ITEMS_PARAMETERS);
        boolean html = wantsHtml(request);
        OgcLinks links = OgcLinks.of(request);
        OgcCatalog.Collection c = find(collectionId);
        int limit = parseLimit(single(request, "limit"));
        long offset = parseOffset(single(request, "offset"));
        OgcCrs crs = OgcCrs.parse("crs", single(request, "crs"));
        OgcCrs bboxCrs = OgcCrs.parse("bbox-crs", single(request, "bbox-crs"));
        FeatureRepository.Box box = parseBox(single(request, "bbox"), bboxCrs);
        FeatureRepository.TimeInterval datetime = parseDatetime(single(request, "datetime"), features.zone());
        String lang = single(request, "filter-lang");
        if (lang != null && !lang.equals("cql2-text")) {
            throw new InvalidParameterException("filter-lang", "only cql2-text is supported");
        }
        OgcCrs.parse("filter-crs", single(request, "filter-crs"));
        String filterText = single(request, "filter");
        Cql2Text.Condition filter = filterText == null ? null : Cql2Text.parse(filterText, c.source(), features.zone());

        FeatureRepository.Query query = new FeatureRepository.Query(c.source(), c.typeCode(), caller.scope(), crs, box, datetime, filter, limit, offset);
        long matched = features.count(query);
        FeatureRepository.Page page = features.features(query);

        String path = "/collections/" + c.id() + "/items";
        Map<String, String> kept = keptParameters(request);
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(OgcLinks.link(links.href(path, with(kept, "f", "json", "limit", limit, "offset", offset)), html ? "alternate" : "self",
                GEO_JSON.toString(), "this page as GeoJSON"));
        list.add(OgcLinks.link(links.href(path, with(kept, "f", "html", "limit", limit, "offset", offset)), html ? "self" : "alternate",
                MediaType.TEXT_HTML_VALUE, "this page as HTML"));
        String format = html ? "html" : "json";
        String type = html ? MediaType.TEXT_HTML_VALUE : GEO_JSON.toString();
        if (offset + page.returned() < matched) {
            list.add(OgcLinks.link(links.href(path, with(kept, "f", format, "limit", limit, "offset", offset + page.returned())), "next", type, "next page"));
        }
        if (offset > 0) {
            list.add(OgcLinks.link(links.href(path, with(kept, "f", format, "limit", limit, "offset", Math.max(0, offset - limit))), "prev", type,
                    "previous page"));
        }
        list.add(OgcLinks.link(links.href("/collections/" + c.id(), "json"), "collection", MediaType.APPLICATION_JSON_VALUE, c.title()));
        String timeStamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (html) {
            JsonNode featureArray = json.readTree(page.featuresJson());
            List<String> columns = c.source().properties.stream().map(FeatureSource.Property::name).toList();
            String body = OgcHtml.definitions(Map.of("numberMatched", String.valueOf(matched), "numberReturned", String.valueOf(page.returned()),
                    "crs", crs.uri)) + OgcHtml.featureTable(featureArray, columns) + OgcHtml.links(json.valueToTree(list));
            return ResponseEntity.ok().contentType(HTML).header("Content-Crs", crs.header()).body(OgcHtml.page(c.title(), body).getBytes(StandardCharsets.UTF_8));
        }
        String head = "{\"type\":\"FeatureCollection\",\"timeStamp\":" + json.writeValueAsString(timeStamp) + ",\"numberMatched\":" + matched
                + ",\"numberReturned\":" + page.returned() + ",\"links\":" + json.writeValueAsString(list) + ",\"features\":";
        return bytes(GEO_JSON, head + page.featuresJson() + "}", crs);
    }

    @GetMapping(ROOT + "/collections/{collectionId}/items/{featureId}")
    ResponseEntity<byte[]> feature(CurrentUser caller, HttpServletRequest request, @PathVariable String collectionId, @PathVariable String featureId) {
        refuseUnknownParameters(request, FEATURE_PARAMETERS);
        boolean html = wantsHtml(request);
        OgcLinks links = OgcLinks.of(request);
        OgcCatalog.Collection c = find(collectionId);
        OgcCrs crs = OgcCrs.parse("crs", single(request, "crs"));
        String raw = features.feature(c.source(), c.typeCode(), caller.scope(), crs, featureId)
                .orElseThrow(() -> new NotFoundException("feature", featureId + " in " + c.id()));
        ObjectNode feature = (ObjectNode) json.readTree(raw);
        String path = "/collections/" + c.id() + "/items/" + featureId;
        Map<String, String> crsParameter = crs == OgcCrs.CRS84 ? Map.of() : Map.of("crs", crs.uri);
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(OgcLinks.link(links.href(path, with(crsParameter, "f", "json")), html ? "alternate" : "self", GEO_JSON.toString(), "this feature as GeoJSON"));
        list.add(OgcLinks.link(links.href(path, with(crsParameter, "f", "html")), html ? "self" : "alternate", MediaType.TEXT_HTML_VALUE, "this feature as HTML"));
        list.add(OgcLinks.link(links.href("/collections/" + c.id(), "json"), "collection", MediaType.APPLICATION_JSON_VALUE, c.title()));
        feature.set("links", json.valueToTree(list));
        if (html) {
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("id", feature.path("id").asString());
            feature.path("properties").properties().forEach(e -> facts.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asString()));
            facts.put("geometry", feature.path("geometry").toString());
            return ResponseEntity.ok().contentType(HTML).header("Content-Crs", crs.header())
                    .body(OgcHtml.page(c.title() + " · " + featureId, OgcHtml.definitions(facts) + OgcHtml.links(feature.path("links")))
                            .getBytes(StandardCharsets.UTF_8));
        }
        return bytes(GEO_JSON, json.writeValueAsString(feature), crs);
    }

    // ---- pieces ----

    private Map<String, Object> collection(OgcCatalog.Collection c, FeatureRepository.Extent extent, OgcLinks links) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", c.id());
        body.put("title", c.title());
        body.put("description", c.description());
        body.put("itemType", "feature");
        Map<String, Object> ext = new LinkedHashMap<>();
        if (extent.bbox() != null) {
            ext.put("spatial", Map.of("bbox", List.of(List.of(extent.bbox()[0], extent.bbox()[1], extent.bbox()[2], extent.bbox()[3])),
                    "crs", OgcCrs.CRS84.uri));
        }
        if (c.source().temporal()) {
            List<String> interval = new ArrayList<>();
            interval.add(extent.start() == null ? null : extent.start().toString());
            interval.add(extent.end() == null ? null : extent.end().toString());
            ext.put("temporal", Map.of("interval", List.of(interval), "trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
        }
        body.put("extent", ext);
        body.put("crs", OgcCrs.uris());
        body.put("storageCrs", OgcCrs.CRS84.uri);
        String path = "/collections/" + c.id();
        body.put("links", List.of(
                OgcLinks.link(links.href(path, "json"), "self", MediaType.APPLICATION_JSON_VALUE, "this collection"),
                OgcLinks.link(links.href(path, "html"), "alternate", MediaType.TEXT_HTML_VALUE, "this collection as HTML"),
                OgcLinks.link(links.href(path + "/items", "json"), "items", GEO_JSON.toString(), c.title() + " as GeoJSON"),
                OgcLinks.link(links.href(path + "/items", "html"), "items", MediaType.TEXT_HTML_VALUE, c.title() + " as HTML"),
                OgcLinks.link(links.href(path + "/queryables", Map.of()), REL_QUERYABLES, SCHEMA_JSON.toString(), "queryables")));
        return body;
    }

    private OgcCatalog.Collection find(String collectionId) {
        return catalog.find(collectionId).orElseThrow(() -> new NotFoundException("collection", collectionId));
    }

    private static List<Map<String, Object>> selfAndAlternate(OgcLinks links, String path, boolean html, String jsonType, String title) {
        return List.of(
                OgcLinks.link(links.href(path, "json"), html ? "alternate" : "self", jsonType, title + " as JSON"),
                OgcLinks.link(links.href(path, "html"), html ? "self" : "alternate", MediaType.TEXT_HTML_VALUE, title + " as HTML"));
    }

    /** f=json (default) or f=html; without f, a browser's Accept header preferring HTML gets HTML. */
    static boolean wantsHtml(HttpServletRequest request) {
        String f = request.getParameter("f");
        if (f != null) {
            return switch (f) {
                case "json" -> false;
                case "html" -> true;
                default -> throw new InvalidParameterException("f", "must be json or html");
            };
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return false;
        }
        int htmlAt = accept.indexOf("text/html");
        int jsonAt = accept.indexOf("json");
        return htmlAt >= 0 && (jsonAt < 0 || htmlAt < jsonAt);
    }

    private static void refuseUnknownParameters(HttpServletRequest request, Set<String> known) {
        for (String name : request.getParameterMap().keySet()) {
            if (!known.contains(name) && !name.equals(CSRF_PARAMETER)) {
                throw new InvalidParameterException(name, "is not a parameter of this resource; known: " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    private static String single(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw new InvalidParameterException(name, "may be given only once");
        }
        return values[0];
    }

    /** The request's query parameters that next/prev links keep (all but paging, format and the token, which the links set). */
    private static Map<String, String> keptParameters(HttpServletRequest request) {
        Map<String, String> kept = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!Set.of("f", "limit", "offset", OgcLinks.TOKEN_PARAMETER, CSRF_PARAMETER).contains(name) && values.length > 0) {
                kept.put(name, values[0]);
            }
        });
        return kept;
    }

    private static Map<String, String> with(Map<String, String> base, Object... pairs) {
        Map<String, String> all = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(String.valueOf(pairs[i]), String.valueOf(pairs[i + 1]));
        }
        return all;
    }

    static int parseLimit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidParameterException("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", got '" + text + "'");
    }

    static long parseOffset(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long offset = Long.parseLong(text.strip());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidParameterException("offset", "must be a whole number of at least 0, got '" + text + "'");
    }

    /** bbox as 4 numbers (or 6 with heights, which are ignored) in bbox-crs axis order. */
    static FeatureRepository.Box parseBox(String text, OgcCrs crs) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 4 && parts.length != 6) {
            throw new InvalidParameterException("bbox", "needs 4 (or 6) numbers, got " + parts.length);
        }
        double[] all = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                all[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("bbox", "'" + parts[i] + "' is not a number");
            }
            if (!Double.isFinite(all[i])) {
                throw new InvalidParameterException("bbox", "numbers must be finite");
            }
        }
        double[] v = parts.length == 4 ? all : new double[] {all[0], all[1], all[3], all[4]};
        if (v[0] > v[2] || v[1] > v[3]) {
            throw new InvalidParameterException("bbox", "the lower corner must come first (" + text + ")");
        }
        if (!crs.webMercator) {
            double lonMin = crs.latitudeFirst ? v[1] : v[0];
            double lonMax = crs.latitudeFirst ? v[3] : v[2];
            double latMin = crs.latitudeFirst ? v[0] : v[1];
            double latMax = crs.latitudeFirst ? v[2] : v[3];
            if (lonMin < -180 || lonMax > 180 || latMin < -90 || latMax > 90) {
                throw new InvalidParameterException("bbox", "lies outside -180..180 / -90..90 in the axis order of " + crs.uri);
            }
        }
        return new FeatureRepository.Box(crs, v);
    }

    /** datetime: an instant, or an interval start/end with '..' (or nothing) for an open end; dates mean whole days in the city's zone. */
    static FeatureRepository.TimeInterval parseDatetime(String text, ZoneId zone) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split("/", -1);
        if (parts.length == 1) {
            Instant[] instant = instant(parts[0], zone);
            if (instant == null) {
                throw new InvalidParameterException("datetime", "'..' alone is not an instant");
            }
            return new FeatureRepository.TimeInterval(instant[0], instant[1]);
        }
        if (parts.length != 2) {
            throw new InvalidParameterException("datetime", "must be an instant or start/end, got '" + text + "'");
        }
        Instant[] start = instant(parts[0], zone);
        Instant[] end = instant(parts[1], zone);
        if (start == null && end == null) {
            throw new InvalidParameterException("datetime", "at least one end of the interval must be given");
        }
        FeatureRepository.TimeInterval interval = new FeatureRepository.TimeInterval(start == null ? null : start[0], end == null ? null : end[1]);
        if (interval.start() != null && interval.end() != null && !interval.start().isBefore(interval.end())) {
            throw new InvalidParameterException("datetime", "the start must come before the end");
        }
        return interval;
    }

    /** [start, end) of one datetime value: a date is its whole day, a timestamp that very microsecond; '..' or '' → null. */
    private static Instant[] instant(String value, ZoneId zone) {
        String v = value.strip();
        if (v.isEmpty() || v.equals("..")) {
            return null;
        }
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return new Instant[] {day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant()};
            }
            Instant at = OffsetDateTime.parse(v.replace(' ', 'T').replace("z", "Z").replace("t", "T")).toInstant();
            return new Instant[] {at, at.plus(1, ChronoUnit.MICROS)};
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException("datetime", "'" + value + "' is not a date (YYYY-MM-DD) or an RFC 3339 timestamp");
        }
    }

    private ResponseEntity<byte[]> json(MediaType type, Object body, OgcCrs crs) {
        return bytes(type, json.writeValueAsString(body), crs);
    }

    private static ResponseEntity<byte[]> bytes(MediaType type, String body, OgcCrs crs) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.ok().contentType(type);
        if (crs != null) {
            builder.header("Content-Crs", crs.header());
        }
        return builder.body(body.getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseEntity<byte[]> html(String page) {
        return ResponseEntity.ok().contentType(HTML).body(page.getBytes(StandardCharsets.UTF_8));
    }
}
