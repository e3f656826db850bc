package org.civicgrid.tiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class TileCacheTest {

    @Test
    void aTileIsBuiltOncePerETagAndTheLeastRecentlyUsedGoFirstWhenFull() {
        TileCache cache = new TileCache(DataSize.ofBytes(300));
        AtomicInteger builds = new AtomicInteger();

        byte[] first = cache.get("a", () -> { builds.incrementAndGet(); return new byte[100]; });
        assertThat(cache.get("a", () -> { builds.incrementAndGet(); return new byte[100]; })).isSameAs(first);
        assertThat(builds).hasValue(1);

        cache.get("b", () -> new byte[100]);
        cache.get("c", () -> new byte[100]);
        cache.get("a", () -> { builds.incrementAndGet(); return new byte[100]; });
        cache.get("d", () -> new byte[100]);

        assertThat(cache.size()).isEqualTo(3);
        assertThat(builds).as("'a' was used last but one, so 'b' went").hasValue(1);
        cache.get("b", () -> { builds.incrementAndGet(); return new byte[100]; });
        assertThat(builds).hasValue(2);
    }

    @Test
    void aTileLargerThanTheWholeCacheIsServedButNotKept() {
        TileCache cache = new TileCache(DataSize.ofBytes(50));
        assertThat(cache.get("big", () -> new byte[100])).hasSize(100);
        assertThat(cache.size()).isZero();
    }
}
