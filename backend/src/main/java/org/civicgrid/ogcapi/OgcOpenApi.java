package org.civicgrid.ogcapi;

import java.util.List;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAPI 3.0 definition of /ogc (service-desc), built by hand: the paths, their parameters and answers. */
final class OgcOpenApi {

    private OgcOpenApi() {
    }

    static ObjectNode document(ObjectMapper json, String serverUrl, List<String> collectionIds, int maxLimit, int defaultLimit) {
        ObjectNode doc = json.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "CivicGrid OGC API – Features");
        info.put("version", "1.0.0");
        info.put("description", "Areas, grids, measurement points and problems inside the caller's area. Authenticate with a personal "
                + "API token: Authorization: Bearer, X-API-Token, or the access_token query parameter.");
        doc.putArray("servers").addObject().put("url", serverUrl);
        ArrayNode security = doc.putArray("security");
        security.addObject().putArray("bearer");
        security.addObject().putArray("tokenHeader");
        security.addObject().putArray("tokenQuery");

        ObjectNode components = doc.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("bearer").put("type", "http").put("scheme", "bearer");
        schemes.putObject("tokenHeader").put("type", "apiKey").put("in", "header").put("name", "X-API-Token");
        schemes.putObject("tokenQuery").put("type", "apiKey").put("in", "query").put("name", OgcLinks.TOKEN_PARAMETER);
        ObjectNode parameters = components.putObject("parameters");
        ObjectNode collectionId = parameter(parameters, "collectionId", "path", "the collection", true);
        ArrayNode ids = collectionId.putObject("schema").put("type", "string").putArray("enum");
        collectionIds.forEach(ids::add);
        parameter(parameters, "featureId", "path", "the feature's id", true).putObject("schema").put("type", "string");
        parameter(parameters, "f", "query", "the encoding: json (default) or html", false).putObject("schema").put("type", "string")
                .putArray("enum").add("json").add("html");
        ObjectNode limit = parameter(parameters, "limit", "query", "features per page", false);
        limit.put("style", "form").put("explode", false);
        limit.putObject("schema").put("type", "integer").put("minimum", 1).put("maximum", maxLimit).put("default", defaultLimit);
        parameter(parameters, "offset", "query", "features to skip (the next and prev links set it)", false).putObject("schema")
                .put("type", "integer").put("minimum", 0).put("default", 0);
        ObjectNode bbox = parameter(parameters, "bbox", "query", "minx,miny,maxx,maxy in the axis order of bbox-crs (default CRS84)", false);
        bbox.put("style", "form").put("explode", false);
        ObjectNode bboxSchema = bbox.putObject("schema").put("type", "array").put("minItems", 4).put("maxItems", 6);
        bboxSchema.putObject("items").put("type", "number");
        crsParameter(parameters, "bbox-crs", "the CRS of bbox");
        crsParameter(parameters, "crs", "the CRS of the answer's geometries");
        parameter(parameters, "datetime", "query", "an instant or interval (start/end, '..' for open), RFC 3339; on problems (reported_at) and grids (validity)",
                false).putObject("schema").put("type", "string");
        parameter(parameters, "filter", "query", "a CQL2-text filter on the collection's queryables", false).putObject("schema").put("type", "string");
        parameter(parameters, "filter-lang", "query", "the filter language", false).putObject("schema").put("type", "string")
                .put("default", "cql2-text").putArray("enum").add("cql2-text");
        crsParameter(parameters, "filter-crs", "the CRS of geometries in the filter");

        ObjectNode paths = doc.putObject("paths");
        path(paths, "/", "the landing page", "application/json", "f");
        path(paths, "/conformance", "the conformance classes", "application/json", "f");
        path(paths, "/api", "this API definition", "application/vnd.oai.openapi+json;version=3.0");
        path(paths, "/collections", "the collections", "application/json", "f");
        path(paths, "/collections/{collectionId}", "one collection", "application/json", "collectionId", "f");
        path(paths, "/collections/{collectionId}/queryables", "the queryables of a collection (JSON Schema)", "application/schema+json",
                "collectionId", "f");
        path(paths, "/collections/{collectionId}/items", "the features of a collection", "application/geo+json", "collectionId", "f", "limit",
                "offset", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs");
        path(paths, "/collections/{collectionId}/items/{featureId}", "one feature", "application/geo+json", "collectionId", "featureId", "f", "crs");
        return doc;
    }

    private static ObjectNode parameter(ObjectNode parameters, String name, String in, String description, boolean required) {
        ObjectNode p = parameters.putObject(name);
        p.put("name", name).put("in", in).put("description", description).put("required", required);
        return p;
    }

    private static void crsParameter(ObjectNode parameters, String name, String description) {
        ArrayNode values = parameter(parameters, name, "query", description, false).putObject("schema").put("type", "string")
                .put("format", "uri").put("default", OgcCrs.CRS84.uri).putArray("enum");
        OgcCrs.uris().forEach(values::add);
    }

    private static void path(ObjectNode paths, String path, String summary, String mediaType, String... parameterNames) {
        ObjectNode get = paths.putObject(path).putObject("get");
        get.put("summary", summary);
        get.put("operationId", "get" + path.replaceAll("[^A-Za-z]", "_"));
        ArrayNode params = get.putArray("parameters");
        for (String name : parameterNames) {
            params.addObject().put("$ref", "#/components/parameters/" + name);
        }
        ObjectNode responses = get.putObject("responses");
        ObjectNode ok = responses.putObject("200");
        ok.put("description", summary);
        ObjectNode content = ok.putObject("content");
        content.putObject(mediaType).putObject("schema").put("type", "object");
        if (List.of(parameterNames).contains("f")) {
            content.putObject("text/html").putObject("schema").put("type", "string");
        }
        responses.putObject("400").put("description", "a parameter cannot be used (the answer names it)");
        responses.putObject("401").put("description", "no or an invalid API token");
        if (path.contains("{")) {
            responses.putObject("404").put("description", "no such collection or feature inside your area");
        }
    }
}
