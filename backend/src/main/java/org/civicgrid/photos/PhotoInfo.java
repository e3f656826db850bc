package org.civicgrid.photos;

import java.time.Instant;
import java.util.UUID;

/** A stored photo as clients see it; {@code lon}/{@code lat} are the EXIF position when the camera recorded one. */
public record PhotoInfo(UUID id, String contentType, int byteSize, int width, int height, Instant takenAt, Double lon, Double lat,
                        String url, String thumbnailUrl) {

    static PhotoInfo of(UUID id, String contentType, int byteSize, int width, int height, Instant takenAt, Double lon, Double lat) {
        return new PhotoInfo(id, contentType, byteSize, width, height, takenAt, lon, lat, "/api/photos/" + id,
                "/api/photos/" + id + "/thumbnail");
    }
}
