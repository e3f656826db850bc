package org.civicgrid.geoformats;

import java.util.Map;

import org.locationtech.jts.geom.Geometry;

/** One feature read from or written to a GIS file: geometry in lon/lat (EPSG:4326 = CGCS2000 for web maps) and attributes. */
public record GeoFeature(Geometry geometry, Map<String, Object> properties) {

    public GeoFeature {
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
}
