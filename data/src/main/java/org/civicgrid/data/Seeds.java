package org.civicgrid.data;

import java.util.SplittableRandom;

/** Independent random streams per district and purpose, so changing one count does not reshuffle the rest. */
final class Seeds {

    static final int GEOMETRY = 1;
    static final int NAMES = 2;
    static final int POINTS = 3;
    static final int PROBLEMS = 4;
    static final int MANAGERS = 5;

    private Seeds() {
    }

    static SplittableRandom stream(long seed, int district, int purpose) {
        return new SplittableRandom(mix(mix(seed) ^ mix(district * 0x9E3779B97F4A7C15L + purpose)));
    }

    /** SplitMix64 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
