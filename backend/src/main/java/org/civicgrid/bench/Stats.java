package org.civicgrid.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies of one measured operation. */
final class Stats {

    private final List<Double> millis = new ArrayList<>();

    void add(long nanos) {
        millis.add(nanos / 1_000_000.0);
    }

    double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1));
    }

    int count() {
        return millis.size();
    }
}
