package org.civicgrid.photos;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.TimeZone;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;

import org.civicgrid.web.InvalidParameterException;

/** Reads what an upload really is: format by content, dimensions before decoding, EXIF time and position, and a thumbnail. */
final class ImageInspection {

    record Facts(ImageFormat format, int width, int height, Instant takenAt, Double lon, Double lat) {
    }

    private ImageInspection() {
    }

    static Facts inspect(byte[] data, long maxPixels) {
        ImageFormat format = ImageFormat.sniff(data).orElseThrow(() -> new InvalidParameterException("file",
                "is not a JPEG, PNG or WebP image (checked by its content, not its name)"));
        int[] size = dimensions(data);
        if ((long) size[0] * size[1] > maxPixels) {
            throw new InvalidParameterException("file", "is " + size[0] + "×" + size[1] + " pixels; at most " + maxPixels + " pixels are accepted");
        }
        Instant takenAt = null;
        Double lon = null;
        Double lat = null;
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(data));
            ExifSubIFDDirectory exif = metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class);
            if (exif != null && exif.getDateOriginal(TimeZone.getTimeZone("Asia/Shanghai")) != null) {
                takenAt = exif.getDateOriginal(TimeZone.getTimeZone("Asia/Shanghai")).toInstant();
            }
            GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
            GeoLocation location = gps == null ? null : gps.getGeoLocation();
            if (location != null && !location.isZero()) {
                lon = location.getLongitude();
                lat = location.getLatitude();
            }
        } catch (ImageProcessingException | IOException | RuntimeException unreadableMetadata) {
            // Photos without readable EXIF are fine: time and position are simply unknown.
        }
        return new Facts(format, size[0], size[1], takenAt, lon, lat);
    }

    /** Width and height from the header, without decoding the pixels. */
    private static int[] dimensions(byte[] data) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new InvalidParameterException("file", "cannot be read as an image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new InvalidParameterException("file", "is a damaged image: " + e.getMessage());
        }
    }

    /**
     * A JPEG of at most {@code maxSide} pixels a side. The decoder reads every n-th pixel (n chosen so the decoded
     * image is still at least twice the thumbnail): a 12-megapixel phone photo is not decoded whole (48 MB of heap,
     * most of the CPU) for a 320-pixel thumbnail.
     */
    static byte[] thumbnail(byte[] data, int maxSide) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new InvalidParameterException("file", "cannot be decoded");
            }
            ImageReader reader = readers.next();
            BufferedImage image;
            try {
                reader.setInput(input, true, true);
                int longest = Math.max(reader.getWidth(0), reader.getHeight(0));
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, longest / (2 * maxSide));
                param.setSourceSubsampling(step, step, 0, 0);
                image = reader.read(0, param);
            } finally {
                reader.dispose();
            }
            double scale = Math.min(1.0, (double) maxSide / Math.max(image.getWidth(), image.getHeight()));
            int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
            int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
            BufferedImage thumb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = thumb.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(image, 0, 0, width, height, null);
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(thumb, "jpg", out);
            return out.toByteArray();
        } catch (IOException | IllegalStateException e) {
            throw new InvalidParameterException("file", "is a damaged image: " + e.getMessage());
        }
    }
}
