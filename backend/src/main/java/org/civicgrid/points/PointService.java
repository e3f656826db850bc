package org.civicgrid.points;

import java.util.Map;

import jakarta.persistence.EntityManager;

import org.civicgrid.audit.AuditTrail;
import org.locationtech.jts.geom.Geometry;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Writes to measurement points; the grid follows the geometry (computed in the database). */
@Service
class PointService {

    private final MeasurementPointRepository points;
    private final AuditTrail audit;
    private final EntityManager entities;

    PointService(MeasurementPointRepository points, AuditTrail audit, EntityManager entities) {
        this.points = points;
        this.audit = audit;
        this.entities = entities;
    }

    @Transactional
    MeasurementPoint create(String typeCode, String name, Geometry geometry) {
        MeasurementPoint created = points.saveAndFlush(new MeasurementPoint(typeCode, name, withWgs84(geometry)));
        entities.refresh(created); // its grid is set after the insert (trigger measurement_point_check_insert)
        audit.record("POINT_CREATED", "measurement_point", created.id(), null, null,
                Map.of("typeCode", typeCode, "name", name, "geometry", geometry.toText(), "gridId", String.valueOf(created.gridId())));
        return created;
    }

    @Transactional
    MeasurementPoint move(long pointId, Geometry newGeometry) {
        MeasurementPoint point = points.findById(pointId)
                .orElseThrow(() -> new IllegalArgumentException("No measurement point " + pointId));
        Map<String, Object> before = Map.of("geometry", point.geometry().toText(), "gridId", String.valueOf(point.gridId()));
        point.moveTo(withWgs84(newGeometry));
        MeasurementPoint moved = points.saveAndFlush(point);
        audit.record("POINT_MOVED", "measurement_point", pointId, null, before,
                Map.of("geometry", moved.geometry().toText(), "gridId", String.valueOf(moved.gridId())));
        return moved;
    }

    private static Geometry withWgs84(Geometry geometry) {
        geometry.setSRID(4326);
        return geometry;
    }
}
