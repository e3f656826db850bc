-- Data revisions per map layer: tiles and GeoJSON carry them in their ETag, so an unchanged layer is
-- answered 304 without being recomputed. The bump runs at commit (deferred), so a reader never sees a
-- new revision before the data behind it, and the revision row is locked only for that instant.
CREATE TABLE layer_revision (
    layer    varchar(20) PRIMARY KEY,
    revision bigint NOT NULL DEFAULT 0
);

INSERT INTO layer_revision (layer) VALUES ('grids'), ('points'), ('problems'), ('inspections');

CREATE FUNCTION bump_layer_revision() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE layer_revision SET revision = revision + 1 WHERE layer = TG_ARGV[0];
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER grid_revision AFTER INSERT OR UPDATE OR DELETE ON grid
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_layer_revision('grids');
CREATE CONSTRAINT TRIGGER measurement_point_revision AFTER INSERT OR UPDATE OR DELETE ON measurement_point
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_layer_revision('points');
CREATE CONSTRAINT TRIGGER problem_revision AFTER INSERT OR UPDATE OR DELETE ON problem
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_layer_revision('problems');
CREATE CONSTRAINT TRIGGER inspection_revision AFTER INSERT OR UPDATE OR DELETE ON inspection
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_layer_revision('inspections');
