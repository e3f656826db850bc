-- The rule that a point's geometry kind follows its type was written out in two trigger functions (after an insert,
-- V25; before an update, V10): one function now holds it and both call it.
CREATE FUNCTION check_point_geometry_kind(p_type_code text, p_geom geometry) RETURNS void
    LANGUAGE plpgsql AS
$$
DECLARE
    expected_kind text;
    actual_kind   text;
BEGIN
    SELECT geometry_kind INTO expected_kind FROM point_type WHERE code = p_type_code;
    actual_kind := CASE ST_Dimension(p_geom) WHEN 0 THEN 'POINT' WHEN 1 THEN 'LINE' ELSE 'POLYGON' END;
    IF expected_kind IS NOT NULL AND expected_kind <> actual_kind THEN
        RAISE EXCEPTION 'a point of type % needs a % geometry, not %', p_type_code, expected_kind, GeometryType(p_geom)
            USING ERRCODE = 'check_violation';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION measurement_point_assign_grid() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM check_point_geometry_kind(NEW.type_code, NEW.geom);
    IF coalesce(current_setting('civicgrid.publishing_grids', true), '') <> 'on' THEN
        NEW.grid_id := grid_for_geometry(NEW.geom);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION measurement_point_check_insert() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    grid bigint;
BEGIN
    PERFORM check_point_geometry_kind(NEW.type_code, NEW.geom);
    grid := grid_for_geometry(NEW.geom);
    IF grid IS DISTINCT FROM NEW.grid_id THEN
        UPDATE measurement_point SET grid_id = grid WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;
