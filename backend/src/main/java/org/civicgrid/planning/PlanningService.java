package org.civicgrid.planning;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.geoformats.GeoFeature;
import org.civicgrid.geoformats.GeoFileFormat;
import org.civicgrid.geoformats.GeoFiles;
import org.civicgrid.planning.PlanningRepository.DraftRow;
import org.civicgrid.planning.PlanningRepository.GridRow;
import org.civicgrid.planning.PlanningViews.*;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.ConflictException;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** Drafts of grid boundaries: editing, validation, impact preview and publishing as new grid versions. */
@Service
class PlanningService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PlanningService.class);

    private static final String CODE_CHARS = "[0-9A-Za-z_-]{1,32}";

    private final PlanningRepository repository;
    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final DraftValidator.Settings settings;
    private final ZoneId zone;

    PlanningService(PlanningRepository repository, AuditTrail audit, ObjectMapper json,
                    @Value("${civicgrid.planning.tolerance-metres:0.5}") double tolerance,
                    @Value("${civicgrid.planning.min-grid-area-sqm:100}") double minArea,
                    @Value("${civicgrid.planning.min-thinness:0.01}") double minThinness,
                    @Value("${civicgrid.planning.min-gap-area-sqm:1}") double minGap,
                    @Value("${civicgrid.planning.spike-degrees:1}") double spikeDegrees,
                    @Value("${civicgrid.time-zone:Asia/Shanghai}") String timeZone) {
        this.repository = repository;
        this.jdbc = repository.jdbc();
        this.audit = audit;
        this.json = json;
        this.settings = new DraftValidator.Settings(tolerance, minArea, minThinness, minGap, spikeDegrees);
        this.zone = ZoneId.of(timeZone);
    }

    // ---- areas and drafts ----------------------------------------------------------------------------------------

    /** A street or community in the caller's scope; malformed → 400, unknown or outside → 404. */
    PlanningRepository.Area area(CurrentUser caller, String code, String parameter) {
        if (code == null || !code.matches("\\d{9}(\\d{3})?")) {
            throw new InvalidParameterException(parameter, "must be a street (9 digits) or community (12 digits) code");
        }
        if (!caller.scope().covers(code)) {
            throw new NotFoundException("area", code);
        }
        return repository.area(code).orElseThrow(() -> new NotFoundException("area", code));
    }

    DraftRow draft(CurrentUser caller, long id) {
        DraftRow draft = repository.draft(id).orElseThrow(() -> new NotFoundException("draft", id));
        if (!caller.scope().covers(draft.areaCode())) {
            throw new NotFoundException("draft", id);
        }
        return draft;
    }

    @Transactional
    long create(CurrentUser caller, CreateDraft request) {
        if (request == null) {
            throw new InvalidParameterException("areaCode", "is required");
        }
        PlanningRepository.Area area = area(caller, request.areaCode(), "areaCode");
        String name = request.name() == null || request.name().isBlank() ? area.name() + " 网格调整" : request.name().strip();
        if (name.length() > 200) {
            throw new InvalidParameterException("name", "must be at most 200 characters");
        }
        String basedOn = jdbc.sql(PlanningRepository.LIVE_SNAPSHOT).param("area", area.code()).query(String.class).single();
        long id = jdbc.sql(PlanningRepository.INSERT_DRAFT).param("area", area.code()).param("name", name).param("user", caller.id())
                .param("basedOn", basedOn).query(Long.class).single();
        int copied = jdbc.sql(PlanningRepository.COPY_LIVE_GRIDS).param("draft", id).param("area", area.code()).update();
        audit.record("DRAFT_CREATED", "draft", id, area.code(), null, Map.of("name", name, "areaCode", area.code(), "gridsCopied", copied));
        return id;
    }

    DraftList list(CurrentUser caller, String areaCode, String status) {
        PlanningRepository.Area area = area(caller, areaCode, "areaCode");
        if (status != null && !Set.of("OPEN", "PUBLISHED", "DISCARDED").contains(status)) {
            throw new InvalidParameterException("status", "must be OPEN, PUBLISHED or DISCARDED");
        }
        List<DraftSummary> drafts = jdbc.sql(PlanningRepository.DRAFTS_OF_AREA).param("area", area.code())
                .param("scope", caller.scope().codePatterns()).param("status", status)
                .query((rs, n) -> new DraftSummary(rs.getLong("id"), rs.getString("area_code"), rs.getString("name"), rs.getString("status"),
                        rs.getLong("version"), new UserRef(rs.getLong("user_id"), rs.getString("username"), rs.getString("display_name")),
                        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(), rs.getLong("grids"))).list();
        return new DraftList(area.code(), drafts, othersEditing(caller, -1, area.code()));
    }

    List<OtherEditor> othersEditing(CurrentUser caller, long draftId, String areaCode) {
        return jdbc.sql(PlanningRepository.OTHERS_EDITING).param("user", caller.id()).param("draft", draftId).param("area", areaCode)
                .query((rs, n) -> new OtherEditor(rs.getLong("id"), new UserRef(rs.getLong("user_id"), rs.getString("username"),
                        rs.getString("display_name")), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    /** The draft as a FeatureCollection of its grids with "draft" (metadata) and "othersEditing" as foreign members. */
    ObjectNode document(CurrentUser caller, long id) {
        DraftRow draft = draft(caller, id);
        ObjectNode doc = (ObjectNode) json.readTree(jdbc.sql(PlanningRepository.DRAFT_FEATURES).param("draft", id).query(String.class).single());
        PlanningRepository.Area area = repository.area(draft.areaCode()).orElseThrow();
        UserRef creator = jdbc.sql("SELECT id, username, display_name FROM app_user WHERE id = :id").param("id", draft.createdBy())
                .query((rs, n) -> new UserRef(rs.getLong(1), rs.getString(2), rs.getString(3))).single();
        boolean stale = draft.status().equals("OPEN") && !conflicts(draft).isEmpty();
        doc.set("draft", json.valueToTree(new DraftMeta(draft.id(), draft.areaCode(), area.name(), area.level(), draft.name(), draft.status(),
                draft.version(), creator, draft.createdAt(), draft.updatedAt(), stale, draft.publicationId())));
        doc.set("othersEditing", json.valueToTree(othersEditing(caller, id, draft.areaCode())));
        return doc;
    }

    List<Conflict> conflicts(DraftRow draft) {
        return jdbc.sql(PlanningRepository.CONFLICTS).param("draft", draft.id()).param("area", draft.areaCode())
                .query((rs, n) -> new Conflict(rs.getString(1), rs.getString(2), (Long) rs.getObject(3), (Long) rs.getObject(4), rs.getString(5)))
                .list();
    }

    /** Locks an open draft and moves its version on; a stale expected version or a closed draft → 409. */
    private DraftRow edit(CurrentUser caller, long id, Long expected) {
        DraftRow draft = draft(caller, id);
        List<Long> version = jdbc.sql(PlanningRepository.BUMP_VERSION).param("id", id).param("expected", expected).query(Long.class).list();
        if (version.isEmpty()) {
            DraftRow now = repository.draft(id).orElseThrow();
            if (!now.status().equals("OPEN")) {
                throw new ConflictException("Draft " + id + " is " + now.status() + " and can no longer be edited.",
                        Map.of("status", now.status(), "currentVersion", now.version()));
            }
            throw new ConflictException("Draft " + id + " was changed by someone else (version " + now.version() + ", you had " + expected
                    + "); reload it.", Map.of("currentVersion", now.version()));
        }
        return draft;
    }

    @Transactional
    void discard(CurrentUser caller, long id, Long expected) {
        DraftRow draft = edit(caller, id, expected);
        jdbc.sql(PlanningRepository.DISCARD).param("draft", id).update();
        audit.record("DRAFT_DISCARDED", "draft", id, draft.areaCode(), Map.of("status", draft.status()), Map.of("status", "DISCARDED"));
    }

    // ---- grid edits ------------------------------------------------------------------------------------------------

    private GridRow gridOf(long draft, Long key, String parameter) {
        if (key == null) {
            throw new InvalidParameterException(parameter, "is required");
        }
        return repository.grid(draft, key).orElseThrow(() -> new NotFoundException("draft grid", key));
    }

    private List<Long> owners(List<Long> ids) {
        if (ids == null) {
            return List.of();
        }
        List<Long> distinct = new ArrayList<>(new TreeSet<>(ids.stream().peek(id -> {
            if (id == null) {
                throw new InvalidParameterException("ownerIds", "must not contain null");
            }
        }).toList()));
        String unknown = jdbc.sql(PlanningRepository.UNKNOWN_USERS).param("owners", PlanningRepository.joined(distinct)).query(String.class).single();
        if (!unknown.isEmpty()) {
            throw new InvalidParameterException("ownerIds", "no enabled user with id " + unknown);
        }
        return distinct;
    }

    private static String code(String code) {
        if (code == null || !code.strip().matches(CODE_CHARS)) {
            throw new InvalidParameterException("code", "must be 1–32 letters or digits (a grid code is 15 digits)");
        }
        return code.strip();
    }

    private static String name(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidParameterException("name", "must be 1–200 characters");
        }
        return name.strip();
    }

    private static Integer households(Integer households) {
        if (households != null && households < 0) {
            throw new InvalidParameterException("households", "must not be negative");
        }
        return households;
    }

    private static Map<String, Object> state(GridRow g) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("code", g.code());
        state.put("name", g.name());
        state.put("geometry", g.geometry().toText());
        state.put("ownerIds", g.ownerIds());
        state.put("households", g.households());
        return state;
    }

    @Transactional
    ObjectNode replaceGrid(CurrentUser caller, long id, long key, GridInput in, Long expected) {
        if (in == null) {
            throw new InvalidParameterException("body", "is required");
        }
        DraftRow draft = edit(caller, id, expected);
        GridRow before = gridOf(id, key, "gridKey");
        String code = in.code() == null ? before.code() : code(in.code());
        String name = in.name() == null ? before.name() : name(in.name());
        Geometry geometry = in.geometry() == null ? before.geometry() : GridGeometry.polygon(in.geometry().toString(), "geometry");
        List<Long> owners = in.ownerIds() == null ? before.ownerIds() : owners(in.ownerIds());
        Integer households = in.households() == null ? before.households() : households(in.households());
        repository.updateGrid(id, key, code, name, geometry, owners, households);
        node(id, List.of(key));
        GridRow after = repository.grid(id, key).orElseThrow();
        audit.record("DRAFT_GRID_UPDATED", "draft_grid", key, draft.areaCode(), state(before), state(after));
        return changed(caller, id, List.of(key));
    }

    @Transactional
    ObjectNode addGrid(CurrentUser caller, long id, GridInput in, Long expected) {
        if (in == null) {
            throw new InvalidParameterException("body", "is required");
        }
        DraftRow draft = edit(caller, id, expected);
        Polygon geometry = GridGeometry.polygon(in.geometry() == null ? null : in.geometry().toString(), "geometry");
        String code = in.code() == null || in.code().isBlank() ? proposeFor(draft, communityOf(draft, geometry)) : code(in.code());
        String name = in.name() == null || in.name().isBlank() ? "网格 " + code : name(in.name());
        long key = repository.insertGrid(id, code, name, geometry, owners(in.ownerIds()), households(in.households()), null);
        node(id, List.of(key));
        audit.record("DRAFT_GRID_ADDED", "draft_grid", key, draft.areaCode(), null, state(repository.grid(id, key).orElseThrow()));
        return changed(caller, id, List.of(key));
    }

    @Transactional
    ObjectNode deleteGrid(CurrentUser caller, long id, long key, Long expected) {
        DraftRow draft = edit(caller, id, expected);
        GridRow before = gridOf(id, key, "gridKey");
        jdbc.sql(PlanningRepository.DELETE_GRID).param("draft", id).param("key", key).update();
        audit.record("DRAFT_GRID_DELETED", "draft_grid", key, draft.areaCode(), state(before), null);
        return changed(caller, id, List.of());
    }

    @Transactional
    ObjectNode split(CurrentUser caller, long id, SplitRequest request) {
        if (request == null) {
            throw new InvalidParameterException("gridKey", "is required");
        }
        DraftRow draft = edit(caller, id, request.version());
        GridRow grid = gridOf(id, request.gridKey(), "gridKey");
        LineString line = GridGeometry.line(request.line() == null ? null : request.line().toString(), "line");
        long newKey = splitGrid(draft, grid, line);
        audit.record("DRAFT_GRID_SPLIT", "draft_grid", grid.key(), draft.areaCode(), state(grid),
                Map.of("line", line.toText(), "kept", state(repository.grid(id, grid.key()).orElseThrow()),
                        "created", state(repository.grid(id, newKey).orElseThrow())));
        return changed(caller, id, List.of(grid.key(), newKey));
    }

    /**
     * Cuts a grid of a draft the caller has locked in two with a line (400 when the line does not cross it once);
     * the larger piece keeps the grid, the other gets the community's next code. Returns the new grid's key.
     */
    long splitGrid(DraftRow draft, GridRow grid, LineString line) {
        long id = draft.id();
        List<Polygon> pieces = GridGeometry.split((Polygon) grid.geometry(), line);
        double total = pieces.get(0).getArea() + pieces.get(1).getArea();
        Integer households0 = grid.households() == null ? null : (int) Math.round(grid.households() * pieces.get(0).getArea() / total);
        Integer households1 = grid.households() == null ? null : grid.households() - households0;
        repository.updateGrid(id, grid.key(), grid.code(), grid.name(), pieces.get(0), grid.ownerIds(), households0);
        String newCode = proposeFor(draft, grid.code().matches("\\d{15}") ? grid.code().substring(0, 12) : communityOf(draft, pieces.get(1)));
        long newKey = repository.insertGrid(id, newCode, grid.name() + "-2", pieces.get(1), grid.ownerIds(), households1, null);
        // The cut's ends become vertices of the neighbours too, so that shared edges still match exactly.
        Geometry cutEnds = OverlayNGRobust.overlay(grid.geometry().getBoundary(), line, OverlayNG.INTERSECTION);
        for (GridRow other : repository.grids(id)) {
            if (other.key() == grid.key() || other.key() == newKey) {
                continue;
            }
            Polygon noded = GridGeometry.withVertices((Polygon) other.geometry(), cutEnds.getCoordinates());
            if (noded != other.geometry()) {
                repository.updateGrid(id, other.key(), other.code(), other.name(), noded, other.ownerIds(), other.households());
            }
        }
        return newKey;
    }

    @Transactional
    ObjectNode merge(CurrentUser caller, long id, MergeRequest request) {
        DraftRow draft = edit(caller, id, request == null ? null : request.version());
        if (request == null || request.gridKeys() == null || request.gridKeys().size() != 2
                || request.gridKeys().get(0) == null || request.gridKeys().get(1) == null
                || request.gridKeys().get(0).equals(request.gridKeys().get(1))) {
            throw new InvalidParameterException("gridKeys", "must name two different grids of the draft");
        }
        GridRow a = gridOf(id, request.gridKeys().get(0), "gridKeys");
        GridRow b = gridOf(id, request.gridKeys().get(1), "gridKeys");
        GridGeometry.LocalMetres metres = new GridGeometry.LocalMetres(a.geometry().getEnvelopeInternal());
        Polygon merged = GridGeometry.merge((Polygon) a.geometry(), (Polygon) b.geometry(), metres, settings.toleranceMetres());
        List<Long> owners = new ArrayList<>(new TreeSet<>(a.ownerIds()) {{
            addAll(b.ownerIds());
        }});
        Integer households = a.households() == null && b.households() == null ? null
                : (a.households() == null ? 0 : a.households()) + (b.households() == null ? 0 : b.households());
        repository.updateGrid(id, a.key(), a.code(), a.name(), merged, owners, households);
        jdbc.sql(PlanningRepository.DELETE_GRID).param("draft", id).param("key", b.key()).update();
        audit.record("DRAFT_GRIDS_MERGED", "draft_grid", a.key(), draft.areaCode(), Map.of("a", state(a), "b", state(b)),
                state(repository.grid(id, a.key()).orElseThrow()));
        return changed(caller, id, List.of(a.key()));
    }

    /**
     * Makes shared edges match vertex for vertex around the given grids: a vertex of one grid lying on an edge of
     * another becomes a vertex of that edge too (geometry unchanged). Returns the keys of the grids it changed.
     */
    private List<Long> node(long draft, java.util.Collection<Long> around) {
        Map<Long, GridRow> grids = new LinkedHashMap<>();
        repository.grids(draft).forEach(g -> grids.put(g.key(), g));
        Map<Long, Polygon> changed = new LinkedHashMap<>();
        for (Long key : around) {
            GridRow grid = grids.get(key);
            if (grid == null) {
                continue;
            }
            for (GridRow other : grids.values()) {
                if (other.key() == key || !other.geometry().getEnvelopeInternal().intersects(grid.geometry().getEnvelopeInternal())) {
                    continue;
                }
                Polygon mine = changed.getOrDefault(key, (Polygon) grid.geometry());
                Polygon theirs = changed.getOrDefault(other.key(), (Polygon) other.geometry());
                Polygon theirsNoded = GridGeometry.withVertices(theirs, mine.getCoordinates());
                Polygon mineNoded = GridGeometry.withVertices(mine, theirs.getCoordinates());
                if (theirsNoded != theirs) {
                    changed.put(other.key(), theirsNoded);
                }
                if (mineNoded != mine) {
                    changed.put(key, mineNoded);
                }
            }
        }
        changed.forEach((key, polygon) -> {
            GridRow g = grids.get(key);
            repository.updateGrid(draft, key, g.code(), g.name(), polygon, g.ownerIds(), g.households());
        });
        return List.copyOf(changed.keySet());
    }

    private ObjectNode changed(CurrentUser caller, long id, List<Long> keys) {
        ObjectNode doc = document(caller, id);
        doc.set("changedKeys", json.valueToTree(keys));
        return doc;
    }

    // ---- codes -----------------------------------------------------------------------------------------------------

    /** The community a geometry lies in (most of it), among the draft's area. */
    private String communityOf(DraftRow draft, Geometry geometry) {
        String best = null;
        double bestArea = -1;
        for (DraftValidator.Community c : repository.communities(draft.areaCode())) {
            if (!c.boundary().getEnvelopeInternal().intersects(geometry.getEnvelopeInternal())) {
                continue;
            }
            double shared = OverlayNGRobust.overlay(c.boundary(), geometry, OverlayNG.INTERSECTION).getArea();
            if (shared > bestArea) {
                bestArea = shared;
                best = c.code();
            }
        }
        if (best == null) {
            throw new InvalidParameterException("geometry", "lies outside every community of area " + draft.areaCode());
        }
        return best;
    }

    /** The next free 15-digit code under a community: one above the highest ever used (live, retired or in this draft). */
    private String proposeFor(DraftRow draft, String community) {
        Set<Integer> used = new HashSet<>();
        for (String code : jdbc.sql(PlanningRepository.USED_CODES).param("community", community).param("draft", draft.id())
                .query(String.class).list()) {
            if (code.matches("\\d{15}")) {
                used.add(Integer.parseInt(code.substring(12)));
            }
        }
        int next = used.stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        if (next > 999) {
            next = 1;
            while (used.contains(next) && next <= 999) {
                next++;
            }
            if (next > 999) {
                throw new ConflictException("Community " + community + " has no free grid code left.");
            }
        }
        return community + String.format(Locale.ROOT, "%03d", next);
    }

    ProposedCode proposeCode(CurrentUser caller, long id, ProposeCode request) {
        DraftRow draft = draft(caller, id);
        String community = request == null || request.communityCode() == null || request.communityCode().isBlank()
                ? (draft.areaCode().length() == 12 ? draft.areaCode() : null) : request.communityCode().strip();
        if (community == null) {
            throw new InvalidParameterException("communityCode", "is required for a street's draft");
        }
        if (!community.matches("\\d{12}") || !community.startsWith(draft.areaCode())
                || repository.area(community).isEmpty()) {
            throw new InvalidParameterException("communityCode", "must be a community of the draft's area " + draft.areaCode());
        }
        return new ProposedCode(community, proposeFor(draft, community));
    }

    // ---- import / export -------------------------------------------------------------------------------------------

    @Transactional
    ObjectNode importFile(CurrentUser caller, long id, String fileName, byte[] content, String mode, Long expected) {
        if (mode != null && !mode.equals("replace") && !mode.equals("append")) {
            throw new InvalidParameterException("mode", "must be replace or append");
        }
        DraftRow draft = edit(caller, id, expected);
        if (content == null || content.length == 0) {
            throw new InvalidParameterException("file", "is required (GeoJSON, GeoPackage or zipped Shapefile) and must not be empty");
        }
        List<GeoFeature> features = GeoFiles.read(fileName == null ? "upload" : fileName, content);
        if (features.isEmpty()) {
            throw new InvalidParameterException("file", "holds no features");
        }
        if (!"append".equals(mode)) {
            jdbc.sql(PlanningRepository.DELETE_ALL_GRIDS).param("draft", id).update();
        }
        List<Long> keys = new ArrayList<>();
        int n = 0;
        for (GeoFeature feature : features) {
            n++;
            Geometry g = feature.geometry();
            if (g instanceof MultiPolygon multi && multi.getNumGeometries() == 1) {
                g = multi.getGeometryN(0);
            }
            if (!(g instanceof Polygon polygon)) {
                throw new InvalidParameterException("file", "feature " + n + " is a " + (g == null ? "null geometry" : g.getGeometryType())
                        + ", not a polygon");
            }
            if (polygon.getNumPoints() > GridGeometry.MAX_VERTICES) {
                throw new InvalidParameterException("file", "feature " + n + " has " + polygon.getNumPoints()
                        + " vertices; a grid may have at most " + GridGeometry.MAX_VERTICES);
            }
            Polygon lonLat = (Polygon) GridGeometry.WGS84.createGeometry(polygon);
            Map<String, Object> props = lowerCase(feature.properties());
            String code = text(props, "code", "grid_code", "gridcode");
            if (code == null) {
                code = proposeFor(draft, communityOf(draft, lonLat));
            } else if (!code.matches(CODE_CHARS)) {
                throw new InvalidParameterException("file", "feature " + n + ": code '" + code + "' must be 1–32 letters or digits");
            }
            String name = text(props, "name", "grid_name");
            if (name == null) {
                name = "网格 " + code;
            } else if (name.length() > 200) {
                throw new InvalidParameterException("file", "feature " + n + ": name longer than 200 characters");
            }
            Integer households = null;
            String h = text(props, "households");
            if (h != null) {
                try {
                    households = (int) Double.parseDouble(h);
                } catch (NumberFormatException e) {
                    throw new InvalidParameterException("file", "feature " + n + ": households '" + h + "' is not a number");
                }
                if (households < 0) {
                    throw new InvalidParameterException("file", "feature " + n + ": households must not be negative");
                }
            }
            Long source = null;
            List<Long> owners = new ArrayList<>();
            String ownerNames = text(props, "owners");
            if (ownerNames != null) {
                for (String username : ownerNames.split("[,;，\\s]+")) {
                    if (username.isBlank()) {
                        continue;
                    }
                    owners.add(jdbc.sql(PlanningRepository.OWNER_IDS_BY_USERNAME).param("username", username).query(Long.class).optional()
                            .orElseThrow(() -> new InvalidParameterException("file", "no user '" + username + "' (owners of a feature)")));
                }
            }
            var live = jdbc.sql(PlanningRepository.LIVE_GRID_BY_CODE).param("code", code).param("area", draft.areaCode())
                    .query((rs, i) -> Map.entry(rs.getLong(1), rs.getString(2))).optional();
            if (live.isPresent()) {
                source = live.get().getKey();
                if (ownerNames == null && !live.get().getValue().isEmpty()) {
                    for (String o : live.get().getValue().split(",")) {
                        owners.add(Long.parseLong(o));
                    }
                }
            }
            keys.add(repository.insertGrid(id, code, name, lonLat, new ArrayList<>(new TreeSet<>(owners)), households, source));
        }
        audit.record("DRAFT_IMPORTED", "draft", id, draft.areaCode(), null,
                Map.of("file", String.valueOf(fileName), "features", features.size(), "mode", mode == null ? "replace" : mode));
        return changed(caller, id, keys);
    }

    private static Map<String, Object> lowerCase(Map<String, Object> properties) {
        Map<String, Object> lower = new LinkedHashMap<>();
        properties.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        return lower;
    }

    private static String text(Map<String, Object> props, String... keys) {
        for (String key : keys) {
            Object value = props.get(key);
            if (value != null && !String.valueOf(value).isBlank()) {
                String s = String.valueOf(value).strip();
                return s.endsWith(".0") && s.matches("\\d+\\.0") ? s.substring(0, s.length() - 2) : s;
            }
        }
        return null;
    }

    static GeoFileFormat format(String format) {
        return switch (format == null ? "geojson" : format.toLowerCase(Locale.ROOT)) {
            case "geojson", "json" -> GeoFileFormat.GEOJSON;
            case "gpkg", "geopackage" -> GeoFileFormat.GEOPACKAGE;
            case "shp", "zip", "shapefile" -> GeoFileFormat.SHAPEFILE_ZIP;
            default -> throw new InvalidParameterException("format", "must be geojson, gpkg or shp");
        };
    }

    /** GeoJSON is written here (RFC 7946, lon/lat); GeoPackage and zipped Shapefile by GeoFiles. */
    byte[] export(List<PlanningRepository.ExportRow> rows, GeoFileFormat format, String layer) {
        if (format == GeoFileFormat.GEOJSON) {
            ObjectNode collection = json.createObjectNode();
            collection.put("type", "FeatureCollection");
            collection.put("name", layer);
            var features = collection.putArray("features");
            for (PlanningRepository.ExportRow r : rows) {
                ObjectNode feature = features.addObject();
                feature.put("type", "Feature");
                feature.set("geometry", json.readTree(GridGeometry.geoJson(r.geometry())));
                ObjectNode props = feature.putObject("properties");
                props.put("code", r.code());
                props.put("name", r.name());
                if (r.households() == null) {
                    props.putNull("households");
                } else {
                    props.put("households", r.households());
                }
                props.put("owners", r.owners());
            }
            return json.writeValueAsBytes(collection);
        }
        List<GeoFeature> features = rows.stream().map(r -> {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("code", r.code());
            props.put("name", r.name());
            props.put("households", r.households());
            props.put("owners", r.owners());
            return new GeoFeature(r.geometry(), props);
        }).toList();
        return GeoFiles.write(format, layer, features);
    }

    byte[] exportDraft(CurrentUser caller, long id, GeoFileFormat format) {
        draft(caller, id);
        return export(repository.export(PlanningRepository.DRAFT_EXPORT, "draft", id), format, "draft_" + id);
    }

    byte[] exportLive(CurrentUser caller, String areaCode, GeoFileFormat format) {
        PlanningRepository.Area area = area(caller, areaCode, "areaCode");
        return export(repository.export(PlanningRepository.LIVE_EXPORT, "area", area.code()), format, "grids_" + area.code());
    }

    // ---- validation, fixes, impact ---------------------------------------------------------------------------------

    List<DraftValidator.Fault> faults(DraftRow draft) {
        List<DraftValidator.Grid> grids = repository.grids(draft.id()).stream()
                .map(g -> new DraftValidator.Grid(g.key(), g.code(), g.geometry())).toList();
        return DraftValidator.validate(grids, repository.communities(draft.areaCode()), settings);
    }

    Validation validation(CurrentUser caller, long id) {
        return view(faults(draft(caller, id)));
    }

    static Validation view(List<DraftValidator.Fault> faults) {
        List<FaultView> views = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            DraftValidator.Fault f = faults.get(i);
            views.add(new FaultView(i, f.type(), f.gridKey(), f.gridKeys(), f.message(), GridGeometry.geoJson(f.location())));
        }
        return new Validation(views.isEmpty(), views);
    }

    /** Applies the one-click fix of a GAP (into the neighbour sharing the longest border) or an OVERLAP (cut from one grid). */
    @Transactional
    Validation fix(CurrentUser caller, long id, FixRequest request) {
        if (request == null || (request.faultIndex() == null && request.type() == null)) {
            throw new InvalidParameterException("faultIndex", "give faultIndex, or type (GAP or OVERLAP) and optionally gridKey");
        }
        DraftRow draft = edit(caller, id, request.version());
        List<DraftValidator.Fault> faults = faults(draft);
        DraftValidator.Fault fault;
        if (request.faultIndex() != null) {
            if (request.faultIndex() < 0 || request.faultIndex() >= faults.size()) {
                throw new InvalidParameterException("faultIndex", "no fault " + request.faultIndex() + " (the draft has " + faults.size() + ")");
            }
            fault = faults.get(request.faultIndex());
        } else {
            fault = faults.stream().filter(f -> f.type().equals(request.type()))
                    .filter(f -> request.gridKey() == null || f.gridKeys().contains(request.gridKey())).findFirst()
                    .orElseThrow(() -> new InvalidParameterException("type", "no " + request.type() + " fault"
                            + (request.gridKey() == null ? "" : " at grid " + request.gridKey())));
        }
        Map<Long, GridRow> grids = new LinkedHashMap<>();
        repository.grids(id).forEach(g -> grids.put(g.key(), g));
        switch (fault.type()) {
            case "GAP" -> fixGap(draft, fault, grids, request.gridKey());
            case "OVERLAP" -> fixOverlap(draft, fault, grids, request.gridKey());
            case "EDGE_MISMATCH" -> {
                List<Long> noded = node(id, fault.gridKeys());
                audit.record("DRAFT_FIX_EDGES", "draft", id, draft.areaCode(), null, Map.of("gridKeys", noded));
            }
            default -> throw new InvalidParameterException(request.faultIndex() != null ? "faultIndex" : "type",
                    "only GAP, OVERLAP and EDGE_MISMATCH faults have a one-click fix, not " + fault.type());
        }
        return view(faults(draft));
    }

    /**
     * Closes a gap: the other grids around it are snapped to their neighbours within the tolerance (a grid dragged in a
     * browser may come back with every vertex rounded); then the gap, rebuilt exactly from the community and the grids'
     * own vertices, joins the neighbour sharing the longest border with it (or the one asked for), which is snapped to
     * its neighbours' vertices and cut back where it would overlap them, so that its edges are theirs.
     */
    private void fixGap(DraftRow draft, DraftValidator.Fault fault, Map<Long, GridRow> grids, Long preferred) {
        if (fault.gridKeys().isEmpty()) {
            throw new InvalidParameterException("faultIndex", "the gap has no neighbouring grid to join");
        }
        Geometry gap = fault.location();
        GridRow target = null;
        if (preferred != null && fault.gridKeys().contains(preferred)) {
            target = grids.get(preferred);
        } else {
            double longest = -1;
            Geometry near = gap.buffer(snapTolerance());
            for (Long key : fault.gridKeys()) {
                GridRow g = grids.get(key);
                double shared = OverlayNGRobust.overlay(g.geometry().getBoundary(), near, OverlayNG.INTERSECTION).getLength();
                if (shared > longest) {
                    longest = shared;
                    target = g;
                }
            }
        }
        List<DraftValidator.Community> communities = repository.communities(draft.areaCode());
        // First the other grids around the gap onto their neighbours (the grid whose vertex was dragged may have come
        // back with every vertex rounded), then the gap from what they cover now.
        long targetKey = target.key();
        List<Long> others = fault.gridKeys().stream().filter(k -> k != targetKey).toList();
        snapAround(draft, others, communities);
        Map<Long, GridRow> now = new LinkedHashMap<>();
        repository.grids(draft.id()).forEach(g -> now.put(g.key(), g));
        target = now.get(targetKey);
        Geometry joined = OverlayNGRobust.overlay(target.geometry(), exactGap(gap, now, communities), OverlayNG.UNION);
        Polygon grown = fitted(GridGeometry.largestPolygon(joined), targetKey, now, communities);
        if (grown == null) {
            throw new ConflictException("The gap cannot be joined to grid " + target.code() + " automatically.");
        }
        repository.updateGrid(draft.id(), targetKey, target.code(), target.name(), grown, target.ownerIds(), target.households());
        List<Long> around = new ArrayList<>(List.of(targetKey));
        around.addAll(others);
        node(draft.id(), around);
        audit.record("DRAFT_FIX_GAP", "draft_grid", targetKey, draft.areaCode(), state(grids.get(targetKey)),
                state(repository.grid(draft.id(), targetKey).orElseThrow()));
    }

    /** The gap rebuilt in lon/lat from the community and the grids' own vertices, so that it joins them exactly. */
    private static Geometry exactGap(Geometry gap, Map<Long, GridRow> grids, List<DraftValidator.Community> communities) {
        Geometry inside = gap.getInteriorPoint();
        Geometry community = communities.stream().filter(c -> c.boundary().intersects(inside))
                .map(DraftValidator.Community::boundary).findFirst().orElse(null);
        if (community == null) {
            return gap;
        }
        Geometry covered = OverlayNGRobust.union(GridGeometry.WGS84.buildGeometry(grids.values().stream()
                .filter(g -> g.geometry().isValid() && g.geometry().getEnvelopeInternal().intersects(community.getEnvelopeInternal()))
                .map(GridRow::geometry).toList()));
        Geometry uncovered = OverlayNGRobust.overlay(community, covered, OverlayNG.DIFFERENCE);
        Geometry shrunk = gap.buffer(-1e-9);
        Geometry probe = shrunk.isEmpty() ? inside : shrunk;
        List<Geometry> pieces = new ArrayList<>();
        for (int i = 0; i < uncovered.getNumGeometries(); i++) {
            if (uncovered.getGeometryN(i).intersects(probe)) {
                pieces.add(uncovered.getGeometryN(i));
            }
        }
        return pieces.isEmpty() ? gap : OverlayNGRobust.union(GridGeometry.WGS84.buildGeometry(pieces));
    }

    /** The tolerance (civicgrid.planning.tolerance-metres) in degrees of latitude: at most that many metres either way. */
    private double snapTolerance() {
        return settings.toleranceMetres() / 111_320.0;
    }

    /**
     * A grid's new shape fitted to the grids around it: its vertices snapped onto theirs (and the community boundary's)
     * within the tolerance, then cut back where it still overlaps them, without the spikes overlays leave. Null when
     * nothing polygonal remains.
     */
    private Polygon fitted(Polygon shape, long key, Map<Long, GridRow> grids, List<DraftValidator.Community> communities) {
        if (shape == null) {
            return null;
        }
        double tolerance = snapTolerance();
        Envelope around = new Envelope(shape.getEnvelopeInternal());
        around.expandBy(tolerance * 2);
        List<Geometry> neighbours = grids.values().stream().filter(g -> g.key() != key && g.geometry().isValid()
                && g.geometry().getEnvelopeInternal().intersects(around)).map(GridRow::geometry).toList();
        List<Coordinate> theirs = GridGeometry.vertices(neighbours);
        List<Coordinate> boundaries = GridGeometry.vertices(communities.stream().map(DraftValidator.Community::boundary)
                .filter(c -> c.getEnvelopeInternal().intersects(around)).toList());
        Polygon snapped = GridGeometry.snapTo(shape, theirs, boundaries, tolerance);
        Polygon rest = neighbours.isEmpty() ? snapped : GridGeometry.largestPolygon(
                OverlayNGRobust.overlay(snapped, OverlayNGRobust.union(GridGeometry.WGS84.buildGeometry(neighbours)), OverlayNG.DIFFERENCE));
        if (rest == null) {
            return null;
        }
        // the cut may leave nodes a hair away from their vertices: onto them again
        Polygon clean = GridGeometry.snapTo(rest, theirs, List.of(), tolerance);
        return GridGeometry.withoutSpikes(clean, new GridGeometry.LocalMetres(shape.getEnvelopeInternal()), settings.spikeDegrees(), 1.0);
    }

    /**
     * The given grids snapped to their neighbours within the tolerance and cut back where they overlap them (only grids
     * changed since they were copied from the live grids, and only when that leaves a valid polygon of nearly the same area).
     */
    private void snapAround(DraftRow draft, List<Long> keys, List<DraftValidator.Community> communities) {
        for (Long key : keys) {
            Map<Long, GridRow> grids = new LinkedHashMap<>();
            repository.grids(draft.id()).forEach(g -> grids.put(g.key(), g));
            GridRow grid = grids.get(key);
            if (grid == null || !(grid.geometry() instanceof Polygon polygon) || !polygon.isValid() || asLive(grid)) {
                continue;
            }
            Polygon fit = fitted(polygon, key, grids, communities);
            if (fit != null && !fit.equalsExact(polygon) && fit.isValid()
                    && Math.abs(fit.getArea() - polygon.getArea()) < polygon.getArea() * 0.01) {
                repository.updateGrid(draft.id(), key, grid.code(), grid.name(), fit, grid.ownerIds(), grid.households());
            }
        }
    }

    /** Whether a draft grid still has exactly the shape of the live grid it was copied from (then it is what others snap to). */
    private boolean asLive(GridRow grid) {
        return grid.sourceGridId() != null && jdbc.sql(PlanningRepository.SAME_AS_LIVE).param("id", grid.sourceGridId())
                .param("wkb", GridGeometry.wkb(grid.geometry())).query(Boolean.class).optional().orElse(false);
    }

    /** Resolves an overlap: the overlap is cut from one of the two grids (the second, or the one asked for), then both are snapped. */
    private void fixOverlap(DraftRow draft, DraftValidator.Fault fault, Map<Long, GridRow> grids, Long preferred) {
        long cutKey = preferred != null && fault.gridKeys().contains(preferred) ? preferred : fault.gridKeys().get(1);
        long keepKey = fault.gridKeys().get(0) == cutKey ? fault.gridKeys().get(1) : fault.gridKeys().get(0);
        GridRow cut = grids.get(cutKey);
        GridRow keep = grids.get(keepKey);
        List<DraftValidator.Community> communities = repository.communities(draft.areaCode());
        Polygon rest = GridGeometry.withoutSpikes(
                GridGeometry.largestPolygon(OverlayNGRobust.overlay(cut.geometry(), keep.geometry(), OverlayNG.DIFFERENCE)),
                new GridGeometry.LocalMetres(cut.geometry().getEnvelopeInternal()), settings.spikeDegrees(), 1.0);
        if (rest == null) {
            throw new ConflictException("Grid " + cut.code() + " lies entirely inside grid " + keep.code() + "; delete one of them instead.");
        }
        Polygon fit = fitted(rest, cut.key(), grids, communities);
        repository.updateGrid(draft.id(), cut.key(), cut.code(), cut.name(), fit != null && fit.isValid() ? fit : rest, cut.ownerIds(),
                cut.households());
        snapAround(draft, List.of(keep.key()), communities);
        node(draft.id(), List.of(cut.key(), keep.key()));
        audit.record("DRAFT_FIX_OVERLAP", "draft_grid", cut.key(), draft.areaCode(), state(cut),
                state(repository.grid(draft.id(), cut.key()).orElseThrow()));
    }

    @Transactional(readOnly = true)
    ObjectNode impact(CurrentUser caller, long id) {
        return impact(draft(caller, id));
    }

    /** The impact preview, in the caller's transaction (or its own): see PlanningRepository.LOCAL_SETTINGS. */
    @Transactional(readOnly = true)
    ObjectNode impact(DraftRow draft) {
        jdbc.sql(PlanningRepository.LOCAL_SETTINGS).query().listOfRows();
        ObjectNode impact = (ObjectNode) json.readTree(jdbc.sql(PlanningRepository.IMPACT).param("draft", draft.id())
                .param("area", draft.areaCode()).query(String.class).single());
        List<Conflict> conflicts = draft.status().equals("OPEN") ? conflicts(draft) : List.of();
        impact.put("stale", !conflicts.isEmpty());
        impact.set("conflicts", json.valueToTree(conflicts));
        return impact;
    }

    // ---- publishing ------------------------------------------------------------------------------------------------

    LocalDate today() {
        return LocalDate.now(zone);
    }

    @Transactional
    Published publish(CurrentUser caller, long id, PublishRequest request) {
        draft(caller, id);
        LocalDate effective = request == null || request.effectiveFrom() == null ? today() : request.effectiveFrom();
        if (effective.isBefore(today())) {
            throw new InvalidParameterException("effectiveFrom", "must be today or later");
        }
        if (effective.isAfter(today())) {
            throw new InvalidParameterException("effectiveFrom", "publishing with a future date is not supported yet; use today ("
                    + today() + ")");
        }
        DraftRow draft = edit(caller, id, request == null ? null : request.version());
        return publishLocked(caller.id(), draft, effective);
    }

    /** Publishes an open draft already locked by the caller's transaction. */
    Published publishLocked(long userId, DraftRow draft, LocalDate effective) {
        long started = System.nanoTime();
        jdbc.sql(PlanningRepository.LOCK_LIVE_GRIDS).param("area", draft.areaCode()).query(Long.class).list();
        List<Conflict> conflicts = conflicts(draft);
        if (!conflicts.isEmpty()) {
            throw new ConflictException("The live grids of " + draft.areaCode() + " changed since draft " + draft.id()
                    + " copied them; start a new draft or redo the changes.", Map.of("conflicts", conflicts));
        }
        List<DraftValidator.Fault> faults = faults(draft);
        if (!faults.isEmpty()) {
            StringBuilder list = new StringBuilder();
            faults.stream().limit(10).forEach(f -> list.append(list.isEmpty() ? "" : "; ").append(f.type()).append(": ").append(f.message()));
            throw new InvalidParameterException("draft", "has " + faults.size() + " validation fault(s) and cannot be published: " + list);
        }
        if (log.isDebugEnabled()) {
            log.debug("publish: lock, staleness and validation of draft {}: {} ms", draft.id(), (System.nanoTime() - started) / 1_000_000);
        }
        long count = jdbc.sql("SELECT count(*) FROM draft_grid WHERE draft_id = :draft").param("draft", draft.id()).query(Long.class).single();
        if (count == 0) {
            throw new InvalidParameterException("draft", "has no grids");
        }
        long publication = jdbc.sql(PlanningRepository.INSERT_PUBLICATION).param("area", draft.areaCode()).param("draft", draft.id())
                .param("user", userId).param("effective", PlanningRepository.date(effective)).query(Long.class).single();
        Map<String, Object> p = Map.of("draft", draft.id(), "area", draft.areaCode(), "effective", PlanningRepository.date(effective),
                "publication", publication, "user", userId);
        Map<String, Integer> counts = repository.runPublishStatements(p);
        int ended = counts.get(PlanningRepository.PUBLISH_END_OLD_VERSIONS);
        int begun = counts.get(PlanningRepository.PUBLISH_BEGIN_NEW_VERSIONS);
        List<Long> points = jdbc.sql(PlanningRepository.REASSIGNED_POINT_IDS).query(Long.class).list();
        List<Long> problems = jdbc.sql(PlanningRepository.REASSIGNED_PROBLEM_IDS).query(Long.class).list();
        jdbc.sql(PlanningRepository.FINISH_PUBLICATION).param("ended", ended).param("begun", begun).param("points", points.size())
                .param("problems", problems.size()).param("publication", publication).update();
        jdbc.sql(PlanningRepository.MARK_PUBLISHED).param("publication", publication).param("draft", draft.id()).update();
        jdbc.sql(PlanningRepository.DROP_TEMP_TABLES).update();
        Published published = new Published(publication, draft.id(), draft.areaCode(), effective, ended, begun, points.size(), problems.size(),
                points, problems);
        audit.record("GRIDS_PUBLISHED", "grid_publication", publication, draft.areaCode(), null,
                Map.of("draftId", draft.id(), "effectiveFrom", effective.toString(), "gridsEnded", ended, "gridsBegun", begun,
                        "pointsReassigned", points.size(), "problemsReassigned", problems.size()));
        return published;
    }

    // ---- history ---------------------------------------------------------------------------------------------------

    ObjectNode history(CurrentUser caller, String areaCode) {
        PlanningRepository.Area area = area(caller, areaCode, "areaCode");
        ObjectNode history = json.createObjectNode();
        history.put("areaCode", area.code());
        history.set("publications", json.readTree(jdbc.sql(PlanningRepository.PUBLICATIONS).param("area", area.code()).query(String.class).single()));
        history.set("versions", json.readTree(jdbc.sql(PlanningRepository.VERSIONS).param("area", area.code()).query(String.class).single()));
        return history;
    }

    String gridsAt(CurrentUser caller, String areaCode, LocalDate at) {
        PlanningRepository.Area area = area(caller, areaCode, "areaCode");
        return jdbc.sql(PlanningRepository.GRIDS_AT).param("area", area.code()).param("at", PlanningRepository.date(at == null ? today() : at))
                .query(String.class).single();
    }

    JsonNode readTree(String text) {
        return json.readTree(text);
    }
}
