package org.civicgrid.open311;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import tools.jackson.databind.ObjectMapper;

/**
 * Open311 GeoReport v2 at {@code /open311/v2}: problem categories are services, problems are service
 * requests. The api_key is a CivicGrid personal API token (also accepted as Bearer, X-API-Token or
 * access_token); reads are scoped like every read, and a request outside the caller's grids is refused.
 */
@RestController
class Open311Controller {

    static final String ROOT = "/open311/v2";
    static final String ATTRIBUTE_POINT_NAME = "point_name";
    static final String ATTRIBUTE_LOCATION_NOTE = "location_note";
    static final Set<String> ATTRIBUTES = Set.of(ATTRIBUTE_POINT_NAME, ATTRIBUTE_LOCATION_NOTE);
    /** The roles that report problems (inspectors, grid managers, leaders, admins); planners and handlers do not. */
    static final Set<Role> REPORTERS = Set.of(Role.ADMIN, Role.LEADER, Role.INSPECTOR, Role.GRID_MANAGER);
    /** The spec's defaults: without dates the last 90 days, and at most 1000 requests per answer. */
    static final int DEFAULT_DAYS = 90;
    static final int MAX_REQUESTS = 1000;
    static final String CHANGESET = "2026-12-01T00:00:00+08:00";

    private final Open311Repository repository;
    private final Open311Intake intake;
    private final ObjectMapper json;
    private final ZoneId zone;

    Open311Controller(Open311Repository repository, Open311Intake intake, ObjectMapper json,
                      @Value("${civicgrid.time-zone:Asia/Shanghai}") String zone) {
        this.repository = repository;
        this.intake = intake;
        this.json = json;
        this.zone = ZoneId.of(zone);
    }

    @GetMapping(ROOT + "/discovery.{format}")
    ResponseEntity<byte[]> discovery(CurrentUser caller, HttpServletRequest request, @PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("specification", "http://wiki.open311.org/GeoReport_v2");
        endpoint.put("url", ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString() + ROOT);
        endpoint.put("changeset", CHANGESET);
        endpoint.put("type", "production");
        endpoint.put("formats", List.of("text/xml", "application/json"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("changeset", CHANGESET);
        body.put("contact", "CivicGrid administrator of your city (系统管理员)");
        body.put("key_service", "A personal API token from CivicGrid (My account → API tokens) is the api_key.");
        body.put("endpoints", List.of(endpoint));
        return f.answer(HttpStatus.OK, "discovery", body, json);
    }

    @GetMapping(ROOT + "/services.{format}")
    ResponseEntity<byte[]> services(CurrentUser caller, @PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        List<Map<String, Object>> services = new ArrayList<>();
        for (Open311Repository.Service s : repository.services()) {
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("service_code", s.code());
            service.put("service_name", s.nameZh());
            service.put("description", s.nameEn() + " — " + s.actionName() + ", time limit " + formatHours(s.limitHours()) + " working hours");
            service.put("metadata", true);
            service.put("type", "realtime");
            service.put("keywords", s.eventClass());
            service.put("group", s.actionName());
            services.add(service);
        }
        return f.answer(HttpStatus.OK, "services", services, json);
    }

    @GetMapping(ROOT + "/services/{code}.{format}")
    ResponseEntity<byte[]> service(CurrentUser caller, @PathVariable String code, @PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        Open311Repository.Service s = repository.service(code).orElseThrow(() -> new NotFoundException("service", code));
        List<Map<String, Object>> attributes = List.of(
                attribute(ATTRIBUTE_POINT_NAME, "string", "点位名称 Name of the measurement point, if the problem is at one (free text)",
                        "Point name", 1),
                attribute(ATTRIBUTE_LOCATION_NOTE, "text", "位置说明 Where exactly (floor, entrance, lamp post …)", "Location note", 2));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service_code", s.code());
        body.put("attributes", attributes);
        return f.answer(HttpStatus.OK, "service_definition", body, json);
    }

    @PostMapping(ROOT + "/requests.{format}")
    ResponseEntity<byte[]> create(CurrentUser caller, HttpServletRequest request, @PathVariable String format,
                                  @RequestParam(name = "media", required = false) MultipartFile media) throws IOException {
        Open311Format f = Open311Format.of(format);
        if (caller.roles().stream().noneMatch(REPORTERS::contains)) {
            throw new AccessDeniedException("Your role may not report problems through Open311.");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (name.startsWith("attribute[") && name.endsWith("]") && values.length > 0) {
                attributes.put(name.substring(10, name.length() - 1), values[0]);
            }
        });
        Open311Intake.Submission submission = new Open311Intake.Submission(request.getParameter("service_code"),
                number(request, "lat"), number(request, "long"), request.getParameter("address_string"), request.getParameter("description"),
                request.getParameter("media_url"), attributes, media == null || media.isEmpty() ? null : media.getBytes());
        long id = intake.submit(caller, submission);
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("service_request_id", String.valueOf(id));
        receipt.put("service_notice", "已上报，等待立案 Reported; waiting to be accepted.");
        receipt.put("account_id", null);
        return f.answer(HttpStatus.CREATED, "service_requests", List.of(receipt), json);
    }

    @GetMapping(ROOT + "/requests.{format}")
    ResponseEntity<byte[]> requests(CurrentUser caller, @PathVariable String format,
                                    @RequestParam(name = "service_request_id", required = false) String ids,
                                    @RequestParam(name = "service_code", required = false) String codes,
                                    @RequestParam(name = "start_date", required = false) String startDate,
                                    @RequestParam(name = "end_date", required = false) String endDate,
                                    @RequestParam(name = "status", required = false) String status) {
        Open311Format f = Open311Format.of(format);
        Open311Repository.Filter filter;
        if (ids != null && !ids.isBlank()) {
            // Per the spec, asking by id ignores every other filter.
            List<Long> list = new ArrayList<>();
            for (String id : ids.split(",")) {
                try {
                    list.add(Long.parseLong(id.strip()));
                } catch (NumberFormatException e) {
                    throw new InvalidParameterException("service_request_id", "'" + id.strip() + "' is not a request id");
                }
            }
            filter = new Open311Repository.Filter(list, List.of(), null, null, true, true, MAX_REQUESTS);
        } else {
            List<String> codeList = new ArrayList<>();
            if (codes != null && !codes.isBlank()) {
                for (String code : codes.split(",")) {
                    if (!code.strip().matches("[A-Za-z0-9_-]{1,40}")) {
                        throw new InvalidParameterException("service_code", "'" + code.strip() + "' is not a service code");
                    }
                    codeList.add(code.strip());
                }
            }
            Instant start = time("start_date", startDate);
            Instant end = time("end_date", endDate);
            if (start == null && end == null) {
                start = Instant.now().minus(DEFAULT_DAYS, ChronoUnit.DAYS);
            }
            if (start != null && end != null && start.isAfter(end)) {
                throw new InvalidParameterException("start_date", "must not be after end_date");
            }
            boolean open = true;
            boolean closed = true;
            if (status != null && !status.isBlank()) {
                open = false;
                closed = false;
                for (String s : status.split(",")) {
                    switch (s.strip().toLowerCase()) {
                        case "open" -> open = true;
                        case "closed" -> closed = true;
                        default -> throw new InvalidParameterException("status", "'" + s.strip() + "' is neither open nor closed");
                    }
                }
            }
            filter = new Open311Repository.Filter(List.of(), codeList, start, end, open, closed, MAX_REQUESTS);
        }
        List<Map<String, Object>> answer = repository.requests(filter, caller.scope()).stream().map(this::request).toList();
        return f.answer(HttpStatus.OK, "service_requests", answer, json);
    }

    @GetMapping(ROOT + "/requests/{id}.{format}")
    ResponseEntity<byte[]> request(CurrentUser caller, @PathVariable String id, @PathVariable String format) {
        Open311Format f = Open311Format.of(format);
        long requestId;
        try {
            requestId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("service request", id);
        }
        Open311Repository.Request r = repository.request(requestId, caller.scope()).orElseThrow(() -> new NotFoundException("service request", id));
        return f.answer(HttpStatus.OK, "service_requests", List.of(request(r)), json);
    }

    private Map<String, Object> request(Open311Repository.Request r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("service_request_id", String.valueOf(r.id()));
        m.put("status", status(r.status()));
        m.put("status_notes", r.notes());
        m.put("service_name", r.serviceName());
        m.put("service_code", r.serviceCode());
        m.put("description", r.description());
        m.put("agency_responsible", r.agency());
        m.put("service_notice", null);
        m.put("requested_datetime", iso(r.requestedAt()));
        m.put("updated_datetime", iso(r.updatedAt()));
        m.put("expected_datetime", iso(r.expectedAt()));
        m.put("address", r.address());
        m.put("address_id", r.pointId() == null ? null : String.valueOf(r.pointId()));
        m.put("zipcode", null);
        m.put("lat", r.lat());
        m.put("long", r.lon());
        m.put("media_url", r.mediaUrl());
        return m;
    }

    /** Every state of the loop before 结案 or 不予立案 is open; CLOSED and REJECTED are closed. */
    static String status(String internal) {
        return internal.equals("CLOSED") || internal.equals("REJECTED") ? "closed" : "open";
    }

    private String iso(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), zone).toString();
    }

    private static Map<String, Object> attribute(String code, String datatype, String description, String datatypeDescription, int order) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("variable", true);
        a.put("code", code);
        a.put("datatype", datatype);
        a.put("required", false);
        a.put("datatype_description", datatypeDescription);
        a.put("order", order);
        a.put("description", description);
        a.put("values", List.of());
        return a;
    }

    private static Double number(HttpServletRequest request, String name) {
        String text = request.getParameter(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value) && Math.abs(value) <= (name.equals("lat") ? 90 : 180)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidParameterException(name, "'" + text + "' is not a WGS84 " + (name.equals("lat") ? "latitude" : "longitude"));
    }

    private static Instant time(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip().replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, "'" + text + "' is not an ISO 8601 date-time with a zone, e.g. 2026-11-01T00:00:00+08:00");
        }
    }

    private static String formatHours(double hours) {
        return hours == Math.rint(hours) ? String.valueOf((long) hours) : String.valueOf(hours);
    }
}
