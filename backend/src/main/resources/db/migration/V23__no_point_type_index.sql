-- measurement_point's type_code index cost about a sixth of a bulk import's COPY (a million points: ≈1.4 s of
-- index maintenance; 29 values, so every insert lands in one of a few long runs of duplicates). Nothing reads
-- points by type alone on a hot path: the map and tiles go by bbox, directories and OGC items by area (grid)
-- or bbox, and the OGC collections list takes every type's extent in one grouped pass.
DROP INDEX measurement_point_type_idx;
