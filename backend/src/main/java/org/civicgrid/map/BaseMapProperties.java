package org.civicgrid.map;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Base maps besides the offline default (which needs nothing): 天地图 when a key is configured, and one
 * XYZ tile service by URL template. {@code xyzCrs} GCJ02 marks a 高德-style offset map: the page then
 * shifts every overlay to match it.
 */
@ConfigurationProperties("civicgrid.map")
public record BaseMapProperties(String tiandituKey, String xyzUrl, String xyzName, String xyzAttribution, String xyzCrs) {

    static final String TIANDITU = "https://t{s}.tianditu.gov.cn/%s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%s"
            + "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%s";

    public BaseMapProperties {
        xyzCrs = "GCJ02".equalsIgnoreCase(xyzCrs) ? "GCJ02" : "WGS84";
    }

    List<Map<String, Object>> basemaps() {
        List<Map<String, Object>> maps = new ArrayList<>();
        maps.add(Map.of("id", "offline", "nameZh", "离线底图（区划边界）", "nameEn", "Offline (boundaries only)"));
        if (hasText(tiandituKey)) {
            maps.add(tianditu("tianditu-vec", "天地图 矢量", "Tianditu vector", "vec", "cva"));
            maps.add(tianditu("tianditu-img", "天地图 影像", "Tianditu imagery", "img", "cia"));
        }
        if (hasText(xyzUrl)) {
            maps.add(Map.of("id", "xyz", "nameZh", hasText(xyzName) ? xyzName : "在线底图", "nameEn", hasText(xyzName) ? xyzName : "Online map",
                    "urlTemplate", xyzUrl, "attribution", hasText(xyzAttribution) ? xyzAttribution : "", "crs", xyzCrs));
        }
        return maps;
    }

    /** The origins the browser must be allowed to load tile images from (for the Content Security Policy). */
    public List<String> imageOrigins() {
        List<String> origins = new ArrayList<>();
        if (hasText(tiandituKey)) {
            origins.add("https://*.tianditu.gov.cn");
        }
        if (hasText(xyzUrl)) {
            URI uri = URI.create(xyzUrl.replace("{s}", "a").replace("{z}", "0").replace("{x}", "0").replace("{y}", "0").replace("{r}", ""));
            String host = xyzUrl.contains("{s}.") ? "*." + uri.getHost().substring(uri.getHost().indexOf('.') + 1) : uri.getHost();
            origins.add(uri.getScheme() + "://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        }
        return origins;
    }

    private Map<String, Object> tianditu(String id, String nameZh, String nameEn, String layer, String labels) {
        return Map.of("id", id, "nameZh", nameZh, "nameEn", nameEn, "urlTemplate", TIANDITU.formatted(layer, layer, tiandituKey),
                "labelUrlTemplate", TIANDITU.formatted(labels, labels, tiandituKey), "subdomains", "01234567", "crs", "WGS84");
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
