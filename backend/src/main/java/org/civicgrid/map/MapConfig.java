package org.civicgrid.map;

/**
 * What the map page needs to open: the district, the caller's bounds ([[south, west], [north, east]],
 * Leaflet order), zoom limits and who is signed in.
 */
record MapConfig(District district, double[][] bounds, double[] center, int minZoom, int maxZoom, UserSummary user,
                 java.util.List<java.util.Map<String, Object>> basemaps) {

    record District(String code, String name) {
    }

    record Bounds(double south, double west, double north, double east) {
    }

    static MapConfig of(District district, Bounds b, int minZoom, int maxZoom, UserSummary user,
                        java.util.List<java.util.Map<String, Object>> basemaps) {
        return new MapConfig(district, new double[][] {{b.south(), b.west()}, {b.north(), b.east()}},
                new double[] {(b.south() + b.north()) / 2, (b.west() + b.east()) / 2}, minZoom, maxZoom, user, basemaps);
    }
}
