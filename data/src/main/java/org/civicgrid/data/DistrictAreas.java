package org.civicgrid.data;

import java.util.List;

import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;

/** The area hierarchy of one generated district; geometries are lon/lat unless named metric. */
final class DistrictAreas {

    /** A district, street or community. */
    record Area(String level, String code, String name, String parentCode, Integer households, Polygon geometry) {
    }

    /** A grid with the indices (into {@link #grids()}) of the grids sharing an edge with it. */
    record Grid(String code, String name, String communityCode, int households, Polygon geometry,
            int[] neighbours) {
    }

    private final DistrictSpec spec;
    private final LocalProjection projection;
    private final Polygon districtMetric;
    private final Area district;
    private final List<Area> streets;
    private final List<Area> communities;
    private final List<Grid> grids;
    private final PreparedGeometry preparedDistrict;

    DistrictAreas(DistrictSpec spec, LocalProjection projection, Polygon districtMetric, Area district,
            List<Area> streets, List<Area> communities, List<Grid> grids) {
        this.spec = spec;
        this.projection = projection;
        this.districtMetric = districtMetric;
        this.district = district;
        this.streets = List.copyOf(streets);
        this.communities = List.copyOf(communities);
        this.grids = List.copyOf(grids);
        this.preparedDistrict = PreparedGeometryFactory.prepare(district.geometry());
    }

    DistrictSpec spec() {
        return spec;
    }

    LocalProjection projection() {
        return projection;
    }

    Polygon districtMetric() {
        return districtMetric;
    }

    Area district() {
        return district;
    }

    List<Area> streets() {
        return streets;
    }

    List<Area> communities() {
        return communities;
    }

    List<Grid> grids() {
        return grids;
    }

    /** Containment test on the published (rounded lon/lat) district outline. */
    PreparedGeometry preparedDistrict() {
        return preparedDistrict;
    }
}
