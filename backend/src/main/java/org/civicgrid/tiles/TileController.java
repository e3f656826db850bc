package org.civicgrid.tiles;

import java.util.Map;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.map.LayerRevisions;
import org.civicgrid.map.MapFilters;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.GeoJsonResponses;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Vector tiles for large data and external clients (QGIS, MapLibre: add {@code ?access_token=…}).
 * The ETag follows the data revision, so an unchanged tile is answered 304 without being rebuilt.
 */
@RestController
@ReadOnlyWork
class TileController {

    static final MediaType MVT = MediaType.parseMediaType("application/vnd.mapbox-vector-tile");
    /** The data each layer's tiles are built from: a grid tile counts open problems, a problem tile shows lights. */
    private static final Map<String, String> REVISION_LAYERS = Map.of(
            "grids", "grids,problems", "points", "grids,points", "problems", "grids,problems,lights");

    private final TileRepository tiles;
    private final LayerRevisions revisions;
    private final TileCache cache;

    TileController(TileRepository tiles, LayerRevisions revisions, TileCache cache) {
        this.tiles = tiles;
        this.revisions = revisions;
        this.cache = cache;
    }

    @GetMapping("/tiles/{layer}/{z}/{x}/{y}.mvt")
    ResponseEntity<byte[]> tile(CurrentUser caller, MapFilters filters, WebRequest request, @PathVariable String layer,
                                @PathVariable String z, @PathVariable String x, @PathVariable String y) {
        if (!TileRepository.QUERY_BY_LAYER.containsKey(layer)) {
            throw new InvalidParameterException("layer", "'" + layer + "' is not one of " + TileRepository.QUERY_BY_LAYER.keySet().stream().sorted().toList());
        }
        TileAddress address = TileAddress.parse(z, x, y);
        String etag = revisions.etag(REVISION_LAYERS.get(layer), caller.scope().key(), layer,
                address.toString(), filters.key());
        if (revisions.notModified(request, etag)) {
            return null;
        }
        return ResponseEntity.ok().eTag(etag).cacheControl(CacheControl.noCache().cachePrivate())
                .header(GeoJsonResponses.SHARED_CACHE_HEADER, GeoJsonResponses.ALWAYS_REVALIDATE).contentType(MVT)
                .body(cache.get(etag, () -> tiles.tile(layer, address, caller.scope(), filters)));
    }
}
