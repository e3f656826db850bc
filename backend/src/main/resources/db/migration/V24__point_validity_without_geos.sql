-- ST_IsValid hands every geometry to GEOS: ≈0.5 s per million points inside a bulk import's COPY, for points whose
-- only way to be invalid is a NaN or infinite coordinate — which no writer produces (JSON has no NaN; imports
-- reject lon/lat that are not finite numbers in range). Lines and polygons are still checked by GEOS.
ALTER TABLE measurement_point
    DROP CONSTRAINT measurement_point_geom_check,
    ADD CONSTRAINT measurement_point_geom_check
        CHECK ((GeometryType(geom) = 'POINT' OR ST_IsValid(geom))
               AND GeometryType(geom) IN ('POINT', 'LINESTRING', 'POLYGON', 'MULTILINESTRING', 'MULTIPOLYGON'));
