package org.civicgrid.tiles;

import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CallerScope;
import org.springframework.stereotype.Component;

/** The tile SQL without HTTP, revisions or ETags: the benchmark's baseline for the tile endpoint. */
@Component
public class TileSql {

    private final TileRepository tiles;

    TileSql(TileRepository tiles) {
        this.tiles = tiles;
    }

    public byte[] tile(String layer, int z, int x, int y, CallerScope scope) {
        return tiles.tile(layer, new TileAddress(z, x, y), scope, MapFilters.NONE);
    }
}
