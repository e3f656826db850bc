package org.civicgrid.loadtest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Latencies per operation and outcomes by kind, collected from every simulated user's requests. */
final class Metrics {

    /** What a response (or a failure to get one) was. OK outcomes are not errors. */
    enum Kind {
        OK("2xx/3xx"),
        CONFLICT("409 conflict (a concurrent move got there first)"),
        DB_UNAVAILABLE("503 database unavailable (problem body, Retry-After)"),
        BUSY("503 server busy (no free database connection in time)"),
        BAD_503("503 without the problem body or Retry-After"),
        UPSTREAM_LOST("502/504 from nginx (instance killed mid-request)"),
        SIGNED_OUT("401 signed out (session lost)"),
        SERVER_ERROR("500 internal error"),
        STACK_TRACE("error body with a stack trace or exception name"),
        CLIENT_ERROR("other 4xx"),
        TIMEOUT("timeout"),
        CONNECTION("connection error");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    static final class Op {
        private final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong requests = new AtomicLong();
        final Map<Kind, AtomicLong> outcomes = new ConcurrentHashMap<>();

        long[] sorted() {
            long[] values;
            synchronized (micros) {
                values = micros.stream().mapToLong(Long::longValue).toArray();
            }
            Arrays.sort(values);
            return values;
        }
    }

    /** One failure worth showing in the summary: when, what, and the first line of the body. */
    record Sample(long atMillis, String op, int status, Kind kind, String detail) {
    }

    private final Map<String, Op> ops = new ConcurrentHashMap<>();
    private final Map<Kind, AtomicLong> kinds = new ConcurrentHashMap<>();
    private final Map<Kind, List<Long>> kindTimes = new ConcurrentHashMap<>();
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private volatile long startMillis;

    Metrics(long startMillis) {
        this.startMillis = startMillis;
    }

    /** Times in the summary count from here (the start of the load, as the faults do). */
    void origin(long millis) {
        this.startMillis = millis;
    }

    void record(String op, long micros, Kind kind, int status, String detail) {
        Op stats = ops.computeIfAbsent(op, k -> new Op());
        stats.requests.incrementAndGet();
        stats.outcomes.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (kind == Kind.OK || kind == Kind.CONFLICT) {
            stats.micros.add(micros);
        }
        kinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (kind != Kind.OK) {
            long at = System.currentTimeMillis() - startMillis;
            kindTimes.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>())).add(at);
            if (kind != Kind.CONFLICT && samples.size() < 2000) {
                samples.add(new Sample(at, op, status, kind, detail));
            }
        }
    }

    private final Map<Kind, AtomicLong> retried = new ConcurrentHashMap<>();

    /** An attempt the client sent again (a repeatable request): counted apart; the request's outcome is the last attempt's. */
    void retried(String op, Kind kind) {
        retried.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (samples.size() < 2000) {
            samples.add(new Sample(System.currentTimeMillis() - startMillis, op + " (sent again)", 0, kind, null));
        }
    }

    long retried(Kind kind) {
        AtomicLong n = retried.get(kind);
        return n == null ? 0 : n.get();
    }

    long total() {
        return kinds.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long count(Kind kind) {
        AtomicLong n = kinds.get(kind);
        return n == null ? 0 : n.get();
    }

    Map<String, Op> ops() {
        return new TreeMap<>(ops);
    }

    /** [first, last] second of the run at which this kind of outcome was seen, or null. */
    long[] window(Kind kind) {
        List<Long> times = kindTimes.get(kind);
        if (times == null || times.isEmpty()) {
            return null;
        }
        synchronized (times) {
            return new long[] {Collections.min(times), Collections.max(times)};
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }
}
