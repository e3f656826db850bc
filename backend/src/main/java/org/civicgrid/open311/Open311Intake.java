package org.civicgrid.open311;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.photos.PhotoStore;
import org.civicgrid.problems.ProblemIntake;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * POST requests: a service request becomes a REPORTED problem through the same intake as the map's
 * report button (grid by the database trigger, nearest measurement point, event, audit), in one
 * transaction with the Open311 extras (media URL, uploaded photo).
 */
@Service
class Open311Intake {

    /** What a client sent, already split into its fields. */
    record Submission(String serviceCode, Double lat, Double lon, String addressString, String description, String mediaUrl,
                      Map<String, String> attributes, byte[] media) {
    }

    private final ProblemIntake intake;
    private final Open311Repository repository;
    private final PhotoStore photos;
    private final AuditTrail audit;

    Open311Intake(ProblemIntake intake, Open311Repository repository, PhotoStore photos, AuditTrail audit) {
        this.intake = intake;
        this.repository = repository;
        this.photos = photos;
        this.audit = audit;
    }

    @Transactional
    long submit(CurrentUser caller, Submission s) {
        Open311Repository.Service service = repository.service(s.serviceCode() == null ? "" : s.serviceCode().strip())
                .orElseThrow(() -> new InvalidParameterException("service_code", s.serviceCode() == null || s.serviceCode().isBlank()
                        ? "is required" : "'" + s.serviceCode() + "' is not a service; see services.json"));
        double lon;
        double lat;
        if (s.lat() != null || s.lon() != null) {
            if (s.lat() == null || s.lon() == null) {
                throw new InvalidParameterException(s.lat() == null ? "lat" : "long", "lat and long must be sent together");
            }
            lon = s.lon();
            lat = s.lat();
        } else if (s.addressString() != null && !s.addressString().isBlank()) {
            List<double[]> places = repository.pointsAt(s.addressString().strip(), caller.scope());
            if (places.isEmpty()) {
                throw new InvalidParameterException("address_string", "no measurement point in your area has the address or name '"
                        + s.addressString().strip() + "'; send lat and long instead");
            }
            lon = places.get(0)[0];
            lat = places.get(0)[1];
        } else {
            throw new InvalidParameterException("lat/long", "a location is required: lat and long (WGS84), or address_string");
        }
        StringBuilder description = new StringBuilder(s.description() == null || s.description().isBlank() ? service.nameZh() : s.description().strip());
        String pointName = s.attributes().get(Open311Controller.ATTRIBUTE_POINT_NAME);
        if (pointName != null && !pointName.isBlank()) {
            description.append("\n点位：").append(pointName.strip());
        }
        String note = s.attributes().get(Open311Controller.ATTRIBUTE_LOCATION_NOTE);
        if (note != null && !note.isBlank()) {
            description.append("\n位置说明：").append(note.strip());
        }
        if (s.addressString() != null && !s.addressString().isBlank() && s.lat() != null) {
            description.append("\n地址：").append(s.addressString().strip());
        }
        for (String name : s.attributes().keySet()) {
            if (!Open311Controller.ATTRIBUTES.contains(name)) {
                throw new InvalidParameterException("attribute[" + name + "]", "is not an attribute of " + service.code() + "; see services/"
                        + service.code() + ".json");
            }
        }
        String mediaUrl = s.mediaUrl() == null || s.mediaUrl().isBlank() ? null : s.mediaUrl().strip();
        if (mediaUrl != null && (!mediaUrl.matches("(?i)https?://\\S+") || mediaUrl.length() > 2000)) {
            throw new InvalidParameterException("media_url", "must be an http(s) URL of at most 2000 characters");
        }
        List<UUID> photoIds = new ArrayList<>();
        if (s.media() != null && s.media().length > 0) {
            photoIds.add(photos.store(s.media(), caller).id());
        }
        long id = intake.report(caller, new ProblemIntake.Report(lon, lat, service.code(), description.toString(), photoIds, null), photoIds, null);
        if (mediaUrl != null) {
            repository.setMediaUrl(id, mediaUrl);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("serviceCode", service.code());
        details.put("mediaUrl", mediaUrl);
        details.put("photo", !photoIds.isEmpty());
        audit.record("OPEN311_REQUEST", "problem", id, repository.gridCode(id), null, details);
        return id;
    }
}
