-- Most problems are closed; the map draws the open ones. A spatial index of only those is a tenth of
-- the size, and a tile or viewport of open problems no longer walks past every closed one.
CREATE INDEX problem_open_location_gix ON problem USING gist (location) WHERE problem_is_open(status);
