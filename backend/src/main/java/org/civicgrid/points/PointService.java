package org.civicgrid.points;

import org.locationtech.jts.geom.Geometry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Writes to measurement points; the grid follows the geometry (computed in the database). */
@Service
class PointService {

    private final MeasurementPointRepository points;

    PointService(MeasurementPointRepository points) {
        this.points = points;
    }

    @Transactional
    MeasurementPoint create(String typeCode, String name, Geometry geometry) {
        return points.saveAndFlush(new MeasurementPoint(typeCode, name, withWgs84(geometry)));
    }

    @Transactional
    MeasurementPoint move(long pointId, Geometry newGeometry) {
        MeasurementPoint point = points.findById(pointId)
                .orElseThrow(() -> new IllegalArgumentException("No measurement point " + pointId));
        point.moveTo(withWgs84(newGeometry));
        return points.saveAndFlush(point);
    }

    private static Geometry withWgs84(Geometry geometry) {
        geometry.setSRID(4326);
        return geometry;
    }
}
