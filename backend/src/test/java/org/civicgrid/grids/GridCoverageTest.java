package org.civicgrid.grids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.civicgrid.CivicGridIntegrationTest;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.coverage.CoverageGapFinder;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.io.ParseException;
import org.locationtech.jts.io.WKBReader;
import org.locationtech.jts.operation.overlayng.CoverageUnion;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The grids of each community tile it: valid polygons, no overlaps, no gaps (checked with JTS, not PostGIS). */
@CivicGridIntegrationTest
class GridCoverageTest {

    /** Gaps narrower than this (degrees, about 1 m) would be slivers between neighbours. */
    private static final double GAP_WIDTH = 1e-5;

    @Autowired
    JdbcClient jdbc;

    @Test
    void gridsOfEveryCommunityFormAValidCoverageWithoutGaps() {
        Map<String, List<Geometry>> gridsByCommunity = new LinkedHashMap<>();
        jdbc.sql("SELECT community_code, ST_AsBinary(boundary) FROM grid WHERE valid_to IS NULL ORDER BY community_code, code")
                .query((rs, n) -> gridsByCommunity.computeIfAbsent(rs.getString(1), c -> new ArrayList<>()).add(wkb(rs.getBytes(2))))
                .list();
        Map<String, Geometry> communities = new LinkedHashMap<>();
        jdbc.sql("SELECT code, ST_AsBinary(boundary) FROM community")
                .query((rs, n) -> communities.put(rs.getString(1), wkb(rs.getBytes(2)))).list();

        assertThat(gridsByCommunity.keySet()).containsExactlyInAnyOrderElementsOf(communities.keySet());
        gridsByCommunity.forEach((community, grids) -> {
            Geometry[] coverage = grids.toArray(Geometry[]::new);
            for (Geometry grid : coverage) {
                assertThat(grid.isValid()).as("grid of %s is a valid polygon", community).isTrue();
            }
            Geometry[] faults = CoverageValidator.validate(coverage, GAP_WIDTH);
            assertThat(CoverageValidator.hasInvalidResult(faults))
                    .as("grids of community %s overlap, mismatch at shared edges or leave narrow gaps", community).isFalse();
            assertThat(CoverageGapFinder.findGaps(coverage, GAP_WIDTH).isEmpty()).as("gaps inside community %s", community).isTrue();
            Geometry union = CoverageUnion.union(new GeometryFactory().createGeometryCollection(coverage));
            Geometry boundary = communities.get(community);
            double uncovered = boundary.symDifference(union).getArea();
            assertThat(uncovered / boundary.getArea())
                    .as("share of community %s not covered exactly once by its grids", community).isLessThan(1e-9);
        });
    }

    private static Geometry wkb(byte[] bytes) {
        try {
            return new WKBReader().read(bytes);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
