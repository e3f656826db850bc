package org.civicgrid.photos;

import java.io.IOException;
import java.util.UUID;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
class PhotoController {

    private final PhotoStore store;

    PhotoController(PhotoStore store) {
        this.store = store;
    }

    /** Upload one photo (multipart field "file"); attach it afterwards by id to an inspection item or a problem move. */
    @PostMapping(path = "/api/photos", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    PhotoInfo upload(CurrentUser caller, @RequestParam(name = "file", required = false) MultipartFile file) throws IOException {
        if (file == null) {
            throw new InvalidParameterException("file", "is required (multipart/form-data field 'file')");
        }
        return store.store(file.getBytes(), caller);
    }

    @GetMapping("/api/photos/{id}")
    ResponseEntity<byte[]> photo(CurrentUser caller, @PathVariable UUID id) {
        PhotoInfo info = store.info(id, caller);
        return image(store.content(id, caller, false), info.contentType());
    }

    @GetMapping("/api/photos/{id}/thumbnail")
    ResponseEntity<byte[]> thumbnail(CurrentUser caller, @PathVariable UUID id) {
        return image(store.content(id, caller, true), MediaType.IMAGE_JPEG_VALUE);
    }

    @GetMapping("/api/photos/{id}/info")
    PhotoInfo info(CurrentUser caller, @PathVariable UUID id) {
        return store.info(id, caller);
    }

    /** Photos never change once stored, so browsers may keep them (privately: they are scoped). */
    private static ResponseEntity<byte[]> image(byte[] bytes, String contentType) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(contentType))
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofDays(30)).cachePrivate())
                .header("X-Content-Type-Options", "nosniff").body(bytes);
    }
}
