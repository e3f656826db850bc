package org.civicgrid.data;

import org.locationtech.jts.geom.Geometry;

/** A generated measurement point; {@code metric} is the same shape in the district's local metric plane. */
record DemoPoint(String externalId, String typeCode, String name, String address, String responsibleUnit,
        Geometry lonLat, Geometry metric) {
}
