package org.civicgrid.points;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.Generated;
import org.hibernate.generator.EventType;
import org.locationtech.jts.geom.Geometry;

/**
 * A measurement point (测评点位). Its grid is computed by the database from the geometry (triggers
 * measurement_point_check_insert after an insert, measurement_point_assign_grid before an update), so it is read back.
 */
@Entity
@Table(name = "measurement_point")
class MeasurementPoint {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "external_id")
    private String externalId;

    @Column(name = "type_code", nullable = false)
    private String typeCode;

    @Column(nullable = false)
    private String name;

    private String address;

    @Column(name = "responsible_unit")
    private String responsibleUnit;

    @Column(nullable = false, columnDefinition = "geometry(Geometry,4326)")
    private Geometry geom;

    @Generated(event = {EventType.INSERT, EventType.UPDATE})
    @Column(name = "grid_id", insertable = false, updatable = false)
    private Long gridId;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt = Instant.now();

    @Version
    private long version;

    protected MeasurementPoint() {
    }

    MeasurementPoint(String typeCode, String name, Geometry geom) {
        this.typeCode = typeCode;
        this.name = name;
        this.geom = geom;
    }

    Long id() {
        return id;
    }

    String name() {
        return name;
    }

    String typeCode() {
        return typeCode;
    }

    Geometry geometry() {
        return geom;
    }

    Long gridId() {
        return gridId;
    }

    long version() {
        return version;
    }

    void moveTo(Geometry newGeometry) {
        this.geom = newGeometry;
        this.updatedAt = Instant.now();
    }

    void describe(String newAddress, String newResponsibleUnit) {
        this.address = newAddress;
        this.responsibleUnit = newResponsibleUnit;
        this.updatedAt = Instant.now();
    }
}
