-- Open311 GeoReport v2 intake (issue 8): a request may point at a photo or video elsewhere (media_url).
ALTER TABLE problem
    ADD COLUMN media_url text CHECK (media_url IS NULL OR (length(media_url) <= 2000 AND media_url ~ '^https?://'));
