package org.civicgrid.tiles;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Built tiles by ETag, least recently used first out, bounded in bytes. The ETag already names the
 * data revisions, the caller's scope, the layer, the address and the filters, so a hit is exactly the
 * tile the database would build again: an unchanged tile is never recomputed, for any client.
 * Entries of older revisions are never asked for again and age out.
 */
@Component
class TileCache {

    private final long capacityBytes;
    private final LinkedHashMap<String, byte[]> tiles = new LinkedHashMap<>(1024, 0.75f, true);
    private long sizeBytes;

    TileCache(@Value("${civicgrid.tiles.cache-size:64MB}") DataSize capacity) {
        this.capacityBytes = capacity.toBytes();
    }

    byte[] get(String etag, Supplier<byte[]> build) {
        synchronized (this) {
            byte[] cached = tiles.get(etag);
            if (cached != null) {
                return cached;
            }
        }
        // Built outside the lock: two requests for the same new tile may both build it, never block each other.
        byte[] tile = build.get();
        put(etag, tile);
        return tile;
    }

    private synchronized void put(String etag, byte[] tile) {
        if (tile.length > capacityBytes) {
            return;
        }
        byte[] previous = tiles.put(etag, tile);
        sizeBytes += tile.length - (previous == null ? 0 : previous.length);
        Iterator<Map.Entry<String, byte[]>> oldestFirst = tiles.entrySet().iterator();
        while (sizeBytes > capacityBytes && oldestFirst.hasNext()) {
            sizeBytes -= oldestFirst.next().getValue().length;
            oldestFirst.remove();
        }
    }

    synchronized int size() {
        return tiles.size();
    }
}
