package org.civicgrid.ogcapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Absolute links of one request: based on the request's own scheme, host and port (as the servlet
 * container sees them after a trusted proxy's X-Forwarded-* headers), and carrying the caller's
 * {@code access_token} when the request came with one in its URL, because QGIS and GDAL follow links
 * with nothing but the URL.
 */
final class OgcLinks {

    static final String TOKEN_PARAMETER = "access_token";

    private final String base;
    private final String token;

    private OgcLinks(String base, String token) {
        this.base = base;
        this.token = token;
    }

    static OgcLinks of(HttpServletRequest request) {
        String base = ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString() + OgcApiController.ROOT;
        String token = request.getParameter(TOKEN_PARAMETER);
        return new OgcLinks(base, token == null || token.isBlank() ? null : token);
    }

    String base() {
        return base;
    }

    /** A link to a path below /ogc with query parameters (in order), plus the token. */
    String href(String path, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        if (token != null) {
            all.put(TOKEN_PARAMETER, token);
        }
        StringBuilder url = new StringBuilder(base).append(path);
        char separator = '?';
        for (Map.Entry<String, String> p : all.entrySet()) {
            url.append(separator).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    String href(String path, String format) {
        return href(path, format == null ? Map.of() : Map.of("f", format));
    }

    static Map<String, Object> link(String href, String rel, String type, String title) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("href", href);
        link.put("rel", rel);
        link.put("type", type);
        if (title != null) {
            link.put("title", title);
        }
        return link;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
