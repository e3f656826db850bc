-- Current grids by code range under an area's code (the map's grid counts per street or community): the
-- pattern operators (~>=~, ~<~) compare bytes whatever the database's collation, so the range is the prefix.
CREATE INDEX grid_current_code_pattern_idx ON grid (code text_pattern_ops) WHERE valid_to IS NULL;
