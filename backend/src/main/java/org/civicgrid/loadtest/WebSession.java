package org.civicgrid.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One simulated browser: its own cookies (the CIVICGRID_SESSION session and the XSRF-TOKEN it echoes on writes),
 * signed in with the real form login, talking to nginx (or, for the fault scenarios, to one instance directly).
 * Every request is timed and classified into {@link Metrics}.
 */
final class WebSession {

    static final String SESSION_COOKIE = "CIVICGRID_SESSION";

    /** An answer; or, with status -1, no answer (failure says why); -2: interrupted. */
    record Response(int status, byte[] body, Map<String, List<String>> headers, String upstream, Metrics.Kind failure, String failureDetail) {
        Response(int status, byte[] body, Map<String, List<String>> headers, String upstream) {
            this(status, body, headers, upstream, null, null);
        }

        static Response failed(Metrics.Kind kind, String detail) {
            return new Response(-1, new byte[0], Map.of(), null, kind, detail);
        }

        boolean ok() {
            return status >= 200 && status < 400;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpClient client;
    private volatile Metrics metrics;
    private final ObjectMapper json;
    final String username;
    private final Map<String, String> cookies = new ConcurrentHashMap<>();
    private volatile String lastUpstream;
    private volatile int lastStatus;
    private volatile long lastAt;

    WebSession(HttpClient client, Metrics metrics, ObjectMapper json, String username) {
        this.client = client;
        this.metrics = metrics;
        this.json = json;
        this.username = username;
    }

    /** From now on this session's requests are recorded there (the warm-up's are kept apart from the measured load's). */
    void recordInto(Metrics metrics) {
        this.metrics = metrics;
    }

    String sessionCookie() {
        return cookies.get(SESSION_COOKIE);
    }

    String lastUpstream() {
        return lastUpstream;
    }

    int lastStatus() {
        return lastStatus;
    }

    /** When the last answer arrived (epoch millis). */
    long lastAt() {
        return lastAt;
    }

    /** The form login of login.html: GET the page for the CSRF cookie, POST username/password/_csrf, expect 302 to /. */
    boolean signIn(String base, String password) {
        send(base, "sign-in", "GET", "/login.html", null, null, Map.of());
        String form = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(cookies.getOrDefault("XSRF-TOKEN", ""));
        Response r = send(base, "sign-in", "POST", "/login", form.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", Map.of());
        String location = r.header("location");
        if (r.status() != 302 || location == null || location.contains("error") || sessionCookie() == null) {
            return false;
        }
        // Like the browser: follow the redirect to the map page, which hands out the new CSRF token for the session.
        send(base, "sign-in", "GET", "/", null, null, Map.of());
        return cookies.containsKey("XSRF-TOKEN");
    }

    Response get(String base, String op, String path) {
        return send(base, op, "GET", path, null, null, Map.of());
    }

    Response postJson(String base, String op, String path, Object body, Map<String, String> headers) {
        byte[] bytes = body == null ? new byte[0] : json.writeValueAsBytes(body);
        return send(base, op, "POST", path, bytes, "application/json", headers);
    }

    Response postMultipart(String base, String op, String path, Map<String, String> fields, String fileName, String contentType, byte[] file) {
        String boundary = "----civicgrid" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + 1024);
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue() + "\r\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\nContent-Type: "
                    + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(file);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return send(base, op, "POST", path, out.toByteArray(), "multipart/form-data; boundary=" + boundary, Map.of());
    }

    JsonNode json(Response r) {
        return json.readTree(r.body());
    }

    /**
     * One request as a user's client makes it: a request that is safe to repeat — a GET, a POST with an
     * Idempotency-Key, a photo upload (a duplicate photo nobody references is never shown) — is sent again, at most
     * twice, when nginx lost it with an instance (502/504), the connection failed, or the server said 503 with
     * Retry-After. The latency recorded is what the user waited in all; each repeated attempt is counted apart.
     */
    Response send(String base, String op, String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        boolean repeatable = "GET".equals(method) || headers.containsKey("Idempotency-Key") || "/api/photos".equals(path);
        return send(base, op, method, path, body, contentType, headers, repeatable);
    }

    /** A GET sent once, whatever the answer: the fault probe sees every 503 and lost connection as it happens. */
    Response getOnce(String base, String op, String path) {
        return send(base, op, "GET", path, null, null, Map.of(), false);
    }

    private Response send(String base, String op, String method, String path, byte[] body, String contentType, Map<String, String> headers,
                          boolean repeatable) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Response r = attempt(base, method, path, body, contentType, headers);
            Metrics.Kind kind = r.failure() != null ? r.failure() : classify(r);
            if (repeatable && attempt < 3 && RETRIED_KINDS.contains(kind)) {
                metrics.retried(op, kind);
                if (!pause(r)) {
                    return r;
                }
                continue;
            }
            if (r.status() == -2) {
                return r;
            }
            metrics.record(op, (System.nanoTime() - started) / 1000, kind, Math.max(0, r.status()),
                    kind == Metrics.Kind.OK ? null : r.failureDetail() != null ? r.failureDetail() : firstLine(r.text()));
            return r;
        }
    }

    private static final java.util.Set<Metrics.Kind> RETRIED_KINDS = java.util.EnumSet.of(Metrics.Kind.UPSTREAM_LOST,
            Metrics.Kind.DB_UNAVAILABLE, Metrics.Kind.BUSY, Metrics.Kind.CONNECTION);

    /** Waits as the 503's Retry-After asks (at most 2 s; 0.5 s after a lost connection); false when interrupted. */
    private static boolean pause(Response r) {
        long millis = 500;
        String retryAfter = r.header("retry-after");
        if (retryAfter != null && retryAfter.matches("\\d{1,4}")) {
            millis = Math.min(2000, Long.parseLong(retryAfter) * 1000);
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Response attempt(String base, String method, String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (!cookies.isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            cookies.forEach((k, v) -> cookie.append(cookie.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            request.header("Cookie", cookie.toString());
        }
        if (!"GET".equals(method)) {
            String xsrf = cookies.get("XSRF-TOKEN");
            if (xsrf != null) {
                request.header("X-XSRF-TOKEN", xsrf);
            }
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (String setCookie : response.headers().allValues("set-cookie")) {
                String pair = setCookie.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    String value = pair.substring(eq + 1);
                    if (value.isEmpty()) {
                        cookies.remove(pair.substring(0, eq));
                    } else {
                        cookies.put(pair.substring(0, eq), value);
                    }
                }
            }
            String upstream = response.headers().firstValue("x-upstream").orElse(base.replaceFirst("^https?://", ""));
            Response r = new Response(response.statusCode(), response.body(), response.headers().map(), upstream);
            lastUpstream = upstream;
            lastStatus = r.status();
            lastAt = System.currentTimeMillis();
            return r;
        } catch (HttpTimeoutException e) {
            lastStatus = -1;
            return Response.failed(Metrics.Kind.TIMEOUT, e.getMessage());
        } catch (IOException e) {
            lastStatus = -1;
            return Response.failed(Metrics.Kind.CONNECTION, String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-2, new byte[0], Map.of(), null);
        }
    }

    static Metrics.Kind classify(Response r) {
        int s = r.status();
        if (s < 400) {
            return Metrics.Kind.OK;
        }
        String text = r.text();
        if (text.contains("Exception") || text.contains("\tat ") || text.contains("at org.")) {
            return Metrics.Kind.STACK_TRACE;
        }
        return switch (s) {
            case 409 -> Metrics.Kind.CONFLICT;
            case 401 -> Metrics.Kind.SIGNED_OUT;
            case 502, 504 -> Metrics.Kind.UPSTREAM_LOST;
            case 503 -> r.header("retry-after") == null ? Metrics.Kind.BAD_503
                    : text.contains("urn:civicgrid:problem:database-unavailable") ? Metrics.Kind.DB_UNAVAILABLE
                    : text.contains("urn:civicgrid:problem:server-busy") ? Metrics.Kind.BUSY : Metrics.Kind.BAD_503;
            default -> s >= 500 ? Metrics.Kind.SERVER_ERROR : Metrics.Kind.CLIENT_ERROR;
        };
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
