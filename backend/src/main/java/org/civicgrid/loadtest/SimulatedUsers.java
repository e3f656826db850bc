package org.civicgrid.loadtest;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

import javax.imageio.ImageIO;

import tools.jackson.databind.JsonNode;

/**
 * The real mix: leaders looking at the dashboard, indicators, heatmap, ranking, map views and tiles; grid managers
 * working their worklist (start, submit with an after-photo) and reporting problems with photos; inspectors reporting
 * with photos, accepting, dispatching and checking (close or return). Every write the app acknowledges (2xx) is
 * remembered so that it can be looked up in the database after the run.
 */
final class SimulatedUsers {

    /** Everything the app acknowledged: checked in the database after the run. */
    static final class Acks {
        final ConcurrentLinkedQueue<Long> problems = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> events = new ConcurrentLinkedQueue<>();
        final Map<WebSession, List<UUID>> photos = new ConcurrentHashMap<>();

        long photoCount() {
            return photos.values().stream().mapToLong(List::size).sum();
        }
    }

    interface User {
        WebSession session();

        /** One step (a page or an action) of this user; false when it could not even be tried. */
        void step(Random random);
    }

    private static final List<byte[]> PHOTOS = new ArrayList<>();

    static synchronized byte[] photo(Random random) {
        if (PHOTOS.isEmpty()) {
            for (int i = 0; i < 6; i++) {
                BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                Random r = new Random(i);
                for (int k = 0; k < 40; k++) {
                    g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                    g.fillRect(r.nextInt(800), r.nextInt(600), 20 + r.nextInt(200), 20 + r.nextInt(200));
                }
                g.dispose();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    ImageIO.write(image, "jpg", out);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                PHOTOS.add(out.toByteArray());
            }
        }
        return PHOTOS.get(random.nextInt(PHOTOS.size()));
    }

    private final String base;
    private final City city;
    private final Acks acks;

    SimulatedUsers(String base, City city, Acks acks) {
        this.base = base;
        this.city = city;
        this.acks = acks;
    }

    /** Uploads a photo as this user; its id, or null when the app did not acknowledge it. */
    UUID uploadPhoto(WebSession s, Random random) {
        WebSession.Response r = s.postMultipart(base, "photo upload", "/api/photos", Map.of(), "site.jpg", "image/jpeg", photo(random));
        if (r.status() != 201) {
            return null;
        }
        UUID id = UUID.fromString(s.json(r).path("id").asString());
        acks.photos.computeIfAbsent(s, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(id);
        return id;
    }

    /** Reports a problem with one photo at a place; remembers the id the app gave. */
    void report(WebSession s, Random random, City.Place at) {
        UUID photo = uploadPhoto(s, random);
        if (photo == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lon", at.lon());
        body.put("lat", at.lat());
        body.put("categoryCode", city.categories.get(random.nextInt(city.categories.size())));
        body.put("description", "负载测试上报 " + UUID.randomUUID().toString().substring(0, 8));
        body.put("photoIds", List.of(photo.toString()));
        WebSession.Response r = s.postJson(base, "report problem", "/api/problems", body, Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        if (r.status() == 201) {
            acks.problems.add(s.json(r).path("id").asLong());
        }
    }

    /** A move with the version the user saw and an Idempotency-Key; the event it created is remembered. */
    void move(WebSession s, long problemId, long version, String action, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("version", version);
        WebSession.Response r = s.postJson(base, "move " + action, "/api/problems/" + problemId + "/actions/" + action, body,
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        if (r.status() == 200) {
            String eventAction = action.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            long newest = -1;
            for (JsonNode e : s.json(r).path("events")) {
                if (e.path("action").asString().equals(eventAction)) {
                    newest = Math.max(newest, e.path("id").asLong());
                }
            }
            if (newest > 0) {
                acks.events.add(newest);
            }
        }
    }

    /** Worklist items of one list; only the ones this user takes (partitioned among users sharing an account). */
    List<JsonNode> worklist(WebSession s, String name, int part, int parts) {
        WebSession.Response r = s.get(base, "worklist", "/api/worklists/" + name + "?limit=100");
        List<JsonNode> items = new ArrayList<>();
        if (r.status() == 200) {
            for (JsonNode item : s.json(r)) {
                if (Math.floorMod(item.path("id").asLong(), parts) == part) {
                    items.add(item);
                }
            }
        }
        return items;
    }

    final class Leader implements User {
        private final WebSession s;
        private final String area;

        Leader(WebSession s, String area) {
            this.s = s;
            this.area = area;
        }

        @Override
        public WebSession session() {
            return s;
        }

        @Override
        public void step(Random random) {
            int pick = random.nextInt(100);
            String from = city.weekMonday;
            String to = city.weekSunday();
            if (pick < 30) {
                s.get(base, "indicators", "/api/indicators?area=" + area + "&from=" + from + "&to=" + to);
                s.get(base, "indicators trend", "/api/indicators/trend?area=" + area + "&weeks=12");
                s.get(base, "indicators breakdown", "/api/indicators/breakdown?area=" + area + "&from=" + from + "&to=" + to + "&by=category");
            } else if (pick < 45) {
                s.get(base, "heatmap", "/api/heatmap?bbox=" + city.districtBox() + "&zoom=12&from=" + from + "&to=" + to);
            } else if (pick < 55) {
                s.get(base, "ranking", "/api/rankings?level=street&week=" + from + "&within=" + City.DISTRICT);
            } else if (pick < 75) {
                City.Place p = city.places.get(random.nextInt(city.places.size()));
                String box = City.boxAround(p, 3000);
                s.get(base, "viewport area-stats", "/api/layers/area-stats?level=community&bbox=" + box + "&metric=open");
                s.get(base, "viewport problems", "/api/layers/problems?bbox=" + box + "&zoom=14");
                s.get(base, "viewport points", "/api/layers/points?bbox=" + City.boxAround(p, 800) + "&zoom=17");
            } else {
                City.Place p = city.places.get(random.nextInt(city.places.size()));
                int[] t = City.tile(p, 15);
                for (int dx = 0; dx < 3; dx++) {
                    for (int dy = 0; dy < 2; dy++) {
                        s.get(base, "tile", "/tiles/grids/15/" + (t[0] + dx) + "/" + (t[1] + dy) + ".mvt");
                    }
                }
                s.get(base, "tile", "/tiles/problems/15/" + t[0] + "/" + t[1] + ".mvt");
                s.get(base, "tile", "/tiles/points/15/" + t[0] + "/" + t[1] + ".mvt");
            }
        }
    }

    final class GridManager implements User {
        private final WebSession s;
        private final City.Place home;

        GridManager(WebSession s, City.Place home) {
            this.s = s;
            this.home = home;
        }

        @Override
        public WebSession session() {
            return s;
        }

        @Override
        public void step(Random random) {
            if (random.nextInt(100) < 10) {
                report(s, random, home);
                return;
            }
            List<JsonNode> items = worklist(s, "my-grids", 0, 1);
            if (items.isEmpty()) {
                return;
            }
            JsonNode item = items.get(random.nextInt(items.size()));
            WebSession.Response detail = s.get(base, "problem page", "/api/problems/" + item.path("id").asLong());
            if (detail.status() != 200) {
                return;
            }
            JsonNode problem = s.json(detail);
            long id = problem.path("id").asLong();
            long version = problem.path("version").asLong();
            switch (problem.path("status").asString()) {
                case "DISPATCHED" -> move(s, id, version, "start", Map.of("note", "到场处置"));
                case "IN_PROGRESS", "RETURNED" -> {
                    UUID after = uploadPhoto(s, random);
                    if (after != null) {
                        move(s, id, version, "submit", Map.of("note", "已整改", "photoIds", List.of(after.toString())));
                    }
                }
                default -> {
                    // nothing to do on this one
                }
            }
        }
    }

    final class Inspector implements User {
        private final WebSession s;
        private final int part;
        private final int parts;

        Inspector(WebSession s, int part, int parts) {
            this.s = s;
            this.part = part;
            this.parts = parts;
        }

        @Override
        public WebSession session() {
            return s;
        }

        @Override
        public void step(Random random) {
            int pick = random.nextInt(100);
            if (pick < 30) {
                report(s, random, city.places.get(random.nextInt(city.places.size())));
            } else if (pick < 60) {
                act("to-accept", random, (id, v) -> move(s, id, v, "accept", Map.of()));
            } else if (pick < 80) {
                act("to-dispatch", random, (id, v) -> move(s, id, v, "dispatch", Map.of("note", "请按期整改")));
            } else {
                act("waiting-check", random, (id, v) -> move(s, id, v, random.nextInt(100) < 85 ? "close" : "return",
                        Map.of("note", "核查")));
            }
        }

        private void act(String list, Random random, java.util.function.BiConsumer<Long, Long> move) {
            List<JsonNode> items = worklist(s, list, part, parts);
            if (!items.isEmpty()) {
                JsonNode item = items.get(random.nextInt(items.size()));
                move.accept(item.path("id").asLong(), item.path("version").asLong());
            }
        }
    }

    /** Runs a user until the deadline: a step, then think time. */
    static void run(User user, Random random, long deadlineMillis, int thinkMinMillis, int thinkMaxMillis, BooleanSupplier stop) {
        while (System.currentTimeMillis() < deadlineMillis && !stop.getAsBoolean()) {
            try {
                user.step(random);
            } catch (RuntimeException e) {
                // a malformed answer (e.g. an error page instead of JSON) was already counted by its status
            }
            long think = thinkMinMillis + (long) random.nextInt(Math.max(1, thinkMaxMillis - thinkMinMillis));
            long sleep = Math.min(think, deadlineMillis - System.currentTimeMillis());
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
