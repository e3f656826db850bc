package org.civicgrid.transfer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import org.civicgrid.web.InvalidParameterException;

/**
 * An uploaded file, read as a stream (a GeoJSON of a million points is ~270 MB: it is never held in memory)
 * and possibly more than once (a CSV's encoding is decided by a first pass). A gzip-compressed file
 * ({@code points.geojson.gz}, recognised by its magic bytes) is decompressed on the fly, so a million-row
 * file fits the 50 MB upload limit; at most {@link #MAX_UNCOMPRESSED_BYTES} are read from it.
 */
final class ImportSource {

    /** The most bytes a compressed upload may expand to (a million rows of GeoJSON take ~300 MB). */
    static final long MAX_UNCOMPRESSED_BYTES = 1L << 30;

    interface Opener {
        InputStream open() throws IOException;
    }

    private final String fileName;
    private final Opener opener;
    private final boolean gzip;

    private ImportSource(String fileName, Opener opener) {
        this.opener = opener;
        try (InputStream in = opener.open()) {
            this.gzip = in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String name = fileName == null || fileName.isBlank() ? "upload" : fileName.strip();
        this.fileName = gzip && name.toLowerCase(Locale.ROOT).endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    static ImportSource of(String fileName, Opener opener) {
        return new ImportSource(fileName, opener);
    }

    static ImportSource of(Path file) {
        return new ImportSource(file.getFileName().toString(), () -> Files.newInputStream(file));
    }

    static ImportSource of(String fileName, byte[] content) {
        return new ImportSource(fileName, () -> new java.io.ByteArrayInputStream(content));
    }

    /** The file's name (without a .gz of a compressed upload): its extension chooses CSV. */
    String fileName() {
        return fileName;
    }

    boolean compressed() {
        return gzip;
    }

    /** The file's content from its first byte, decompressed. */
    InputStream open() throws IOException {
        InputStream raw = opener.open();
        if (!gzip) {
            return new BufferedInputStream(raw, 1 << 16);
        }
        return new LimitedInputStream(new GZIPInputStream(raw, 1 << 16), MAX_UNCOMPRESSED_BYTES);
    }

    /** The whole content (for GeoPackage and zipped shapefiles, which are read in memory by GeoFiles). */
    byte[] readAll(long limit) throws IOException {
        try (InputStream in = open()) {
            byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
            return content;
        }
    }

    private static final class LimitedInputStream extends java.io.FilterInputStream {
        private long left;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw tooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw tooLarge();
                }
            }
            return n;
        }

        private static InvalidParameterException tooLarge() {
            return new InvalidParameterException("file", "expands to more than " + (MAX_UNCOMPRESSED_BYTES >> 20) + " MB when decompressed");
        }
    }
}
