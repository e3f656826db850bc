package org.civicgrid.geoformats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Zip archives in memory, unpacked with guards against path traversal and zip bombs. */
final class ZipEntries {

    private static final int MAX_ENTRIES = 1000;
    private static final java.util.regex.Pattern GIS_FILE = java.util.regex.Pattern.compile(
            "\\.(shp|shx|dbf|prj|cpg|gpkg|geojson|json)$", java.util.regex.Pattern.CASE_INSENSITIVE);

    private ZipEntries() {
    }

    /** The files of the zip by their path inside it (folders and macOS resource forks left out; files of other types empty). */
    static Map<String, byte[]> unzip(byte[] zip) {
        try {
            return unzip(zip, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedName) {
            return unzip(zip, Charset.forName("GBK")); // zips made on Chinese Windows name entries in GBK
        }
    }

    private static Map<String, byte[]> unzip(byte[] zip, Charset names) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        int count = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), names)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName();
                if (++count > MAX_ENTRIES) {
                    throw new GeoFileException("the zip holds more than " + MAX_ENTRIES + " entries");
                }
                checkPath(name);
                String base = name.substring(name.lastIndexOf('/') + 1);
                boolean keep = !entry.isDirectory() && !name.startsWith("__MACOSX/") && !base.startsWith("._");
                // only the files a reader may need are kept in memory; the others are counted and dropped
                ByteArrayOutputStream out = keep && GIS_FILE.matcher(base).find() ? new ByteArrayOutputStream() : null;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > GeoFiles.MAX_UNZIPPED_BYTES) {
                        throw new GeoFileException("the zip unpacks to more than " + GeoFiles.MAX_UNZIPPED_BYTES
                                + " bytes (200 MB)");
                    }
                    if (out != null) {
                        out.write(buffer, 0, n);
                    }
                }
                if (keep) {
                    entries.put(name, out == null ? new byte[0] : out.toByteArray());
                }
            }
        } catch (ZipException e) {
            throw new GeoFileException("the zip is damaged: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    private static void checkPath(String name) {
        String n = name.replace('\\', '/');
        boolean escapes = n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0;
        for (String part : n.split("/")) {
            escapes |= part.equals("..");
        }
        if (escapes) {
            throw new GeoFileException("the zip entry '" + name + "' points outside the archive");
        }
    }

    static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
