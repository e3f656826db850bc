package org.civicgrid.photos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Accepts JPEG, PNG and WebP photos (checked by content), keeps them under names the server chooses
 * with a JPEG thumbnail, and hands them out only to people who may see what they document.
 */
@Service
@EnableConfigurationProperties(PhotoProperties.class)
public class PhotoStore {

    private final PhotoRepository photos;
    private final PhotoProperties properties;
    private final Path directory;

    PhotoStore(PhotoRepository photos, PhotoProperties properties) {
        this.photos = photos;
        this.properties = properties;
        this.directory = Path.of(properties.directory()).toAbsolutePath().normalize();
    }

    /**
     * Not one transaction on purpose: decoding and the thumbnail take the CPU for a while and must not hold a pooled
     * connection meanwhile (under load that starved other requests). The files are written first, the row last (one
     * statement); a failed insert removes the files again, so no row ever points to a missing file.
     */
    public PhotoInfo store(byte[] data, CurrentUser uploader) {
        if (data.length == 0) {
            throw new InvalidParameterException("file", "is empty");
        }
        if (data.length > properties.maxSize().toBytes()) {
            throw new InvalidParameterException("file", "is " + data.length / 1024 + " KiB; at most " + properties.maxSize().toKilobytes() + " KiB are accepted");
        }
        ImageInspection.Facts facts = ImageInspection.inspect(data, properties.maxPixels());
        byte[] thumbnail = ImageInspection.thumbnail(data, properties.thumbnailSize());
        UUID id = UUID.randomUUID();
        try {
            Files.createDirectories(original(id, facts.format()).getParent());
            Files.write(original(id, facts.format()), data);
            Files.write(thumbnailPath(id), thumbnail);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store photo " + id, e);
        }
        try {
            photos.insert(id, facts, data.length, sha256(data), uploader.id());
        } catch (RuntimeException e) {
            deleteQuietly(original(id, facts.format()));
            deleteQuietly(thumbnailPath(id));
            throw e;
        }
        return PhotoInfo.of(id, facts.format().contentType(), data.length, facts.width(), facts.height(), facts.takenAt(), facts.lon(),
                facts.lat());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // an orphan file without a row is never served
        }
    }

    public PhotoInfo info(UUID id, CurrentUser caller) {
        return photos.visible(id, caller.id(), caller.scope()).orElseThrow(() -> new NotFoundException("photo", id));
    }

    byte[] content(UUID id, CurrentUser caller, boolean thumbnail) {
        PhotoInfo info = info(id, caller);
        ImageFormat format = ImageFormat.byContentType(info.contentType()).orElseThrow();
        try {
            return Files.readAllBytes(thumbnail ? thumbnailPath(id) : original(id, format));
        } catch (IOException e) {
            throw new NotFoundException("photo file", id);
        }
    }

    /** The JPEG thumbnail of a photo the caller may see (404 otherwise), e.g. to embed it in the weekly bulletin's PDF. */
    public byte[] thumbnail(UUID id, CurrentUser caller) {
        return content(id, caller, true);
    }

    /** The photos a caller attaches must be their own uploads; the answer keeps the caller's order. */
    public List<UUID> requireOwn(List<UUID> ids, CurrentUser caller, String field) {
        Set<UUID> wanted = new LinkedHashSet<>(ids == null ? List.of() : ids);
        Set<UUID> own = Set.copyOf(photos.ownedBy(caller.id(), wanted));
        for (UUID id : wanted) {
            if (!own.contains(id)) {
                throw new InvalidParameterException(field, "photo " + id + " is not one you uploaded");
            }
        }
        return List.copyOf(wanted);
    }

    private Path original(UUID id, ImageFormat format) {
        return directory.resolve(id.toString().substring(0, 2)).resolve(id + "." + format.extension());
    }

    private Path thumbnailPath(UUID id) {
        return directory.resolve(id.toString().substring(0, 2)).resolve(id + "-thumb.jpg");
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
