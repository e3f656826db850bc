package org.civicgrid.points;

import org.springframework.data.jpa.repository.JpaRepository;

interface MeasurementPointRepository extends JpaRepository<MeasurementPoint, Long> {
}
