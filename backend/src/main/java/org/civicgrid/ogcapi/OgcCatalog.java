package org.civicgrid.ogcapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The collections: the area levels, current grids, all measurement points, one collection per point type
 * ({@code points-<type code in lower case, '-' for '_'>}) and problems.
 */
@Component
class OgcCatalog {

    record Collection(String id, String title, String description, FeatureSource source, String typeCode) {
    }

    private final FeatureRepository features;

    OgcCatalog(FeatureRepository features) {
        this.features = features;
    }

    List<Collection> all() {
        List<Collection> all = new ArrayList<>(List.of(
                new Collection("districts", "区县 Districts", "District outlines (GB/T 2260 codes).", FeatureSource.DISTRICTS, null),
                new Collection("streets", "街道 Streets", "Street (sub-district and town) outlines.", FeatureSource.STREETS, null),
                new Collection("communities", "社区 Communities", "Community outlines with households.", FeatureSource.COMMUNITIES, null),
                new Collection("grids", "网格 Grids", "Current grid boundaries; with datetime, the versions valid then.", FeatureSource.GRIDS, null),
                new Collection("points", "测评点位 Measurement points", "All measurement points of every type.", FeatureSource.POINTS, null)));
        for (FeatureRepository.PointType type : features.pointTypes()) {
            all.add(new Collection(pointTypeCollectionId(type.code()), "测评点位：" + type.nameZh() + " " + type.nameEn(),
                    "Measurement points of type " + type.code() + " (" + type.geometryKind().toLowerCase(Locale.ROOT) + ").",
                    FeatureSource.POINTS, type.code()));
        }
        all.add(new Collection("problems", "问题 Problems", "Problems (案卷) with status, category, traffic light and times; no personal data.",
                FeatureSource.PROBLEMS, null));
        return all;
    }

    Optional<Collection> find(String id) {
        return all().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    static String pointTypeCollectionId(String typeCode) {
        return "points-" + typeCode.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
