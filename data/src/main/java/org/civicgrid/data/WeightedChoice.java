package org.civicgrid.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Picks items with fixed relative weights (cumulative table + binary search). */
final class WeightedChoice<T> {

    private final List<T> items;
    private final double[] cumulative;

    WeightedChoice(List<T> items, double[] weights) {
        if (items.isEmpty() || items.size() != weights.length) {
            throw new IllegalArgumentException("need one positive weight per item");
        }
        this.items = List.copyOf(items);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
    }

    /** Parses {@code "A:3 B:1.5"} into items and weights, mapping each name through {@code lookup}. */
    static <T> WeightedChoice<T> parse(String spec, java.util.function.Function<String, T> lookup) {
        List<T> items = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (String part : spec.trim().split("\\s+")) {
            int colon = part.indexOf(':');
            items.add(lookup.apply(part.substring(0, colon)));
            weights.add(Double.parseDouble(part.substring(colon + 1)));
        }
        return new WeightedChoice<>(items, weights.stream().mapToDouble(Double::doubleValue).toArray());
    }

    T pick(SplittableRandom rnd) {
        double r = rnd.nextDouble(cumulative[cumulative.length - 1]);
        int index = Arrays.binarySearch(cumulative, r);
        index = index >= 0 ? index + 1 : -index - 1;
        return items.get(Math.min(index, items.size() - 1));
    }

    List<T> items() {
        return items;
    }
}
