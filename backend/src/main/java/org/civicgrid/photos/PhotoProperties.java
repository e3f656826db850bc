package org.civicgrid.photos;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where photos are kept and what is accepted. {@code maxPixels} guards against decompression bombs:
 * the dimensions are read from the header before anything is decoded.
 */
@ConfigurationProperties("civicgrid.photos")
public record PhotoProperties(String directory, DataSize maxSize, Long maxPixels, Integer thumbnailSize) {

    public PhotoProperties {
        directory = directory == null || directory.isBlank() ? "var/photos" : directory;
        maxSize = maxSize == null ? DataSize.ofMegabytes(10) : maxSize;
        maxPixels = maxPixels == null ? 40_000_000L : maxPixels;
        thumbnailSize = thumbnailSize == null ? 320 : thumbnailSize;
    }
}
