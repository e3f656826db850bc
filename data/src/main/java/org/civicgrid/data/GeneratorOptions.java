package org.civicgrid.data;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Options of {@link DemoCityGenerator}. {@code points} and {@code problems} are totals over all districts;
 * {@code null} means the per-district default times {@code scale}.
 */
public record GeneratorOptions(Path out, long seed, LocalDate asOf, int scale, Integer points, Long problems) {

    public static final long DEFAULT_SEED = 20261130L;
    public static final LocalDate DEFAULT_AS_OF = LocalDate.of(2026, 11, 30);
    public static final int DEFAULT_POINTS_PER_DISTRICT = 2100;
    public static final long DEFAULT_PROBLEMS_PER_DISTRICT = 5000;

    public GeneratorOptions {
        if (scale < 1) {
            throw new IllegalArgumentException("--scale must be at least 1");
        }
        if (points != null && points < 0 || problems != null && problems < 0) {
            throw new IllegalArgumentException("--points and --problems must not be negative");
        }
    }

    public static GeneratorOptions defaults(Path out) {
        return new GeneratorOptions(out, DEFAULT_SEED, DEFAULT_AS_OF, 1, null, null);
    }

    public static GeneratorOptions parse(String... args) {
        Path out = Path.of("data/demo-city");
        long seed = DEFAULT_SEED;
        LocalDate asOf = DEFAULT_AS_OF;
        int scale = 1;
        Integer points = null;
        Long problems = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--out" -> out = Path.of(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--as-of" -> asOf = LocalDate.parse(value);
                case "--scale" -> scale = Integer.parseInt(value);
                case "--points" -> points = Integer.parseInt(value);
                case "--problems" -> problems = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + name
                        + " (use --out DIR --seed N --as-of YYYY-MM-DD --scale K --points N --problems N)");
            }
        }
        return new GeneratorOptions(out, seed, asOf, scale, points, problems);
    }

    public long totalPoints() {
        return points != null ? points : (long) DEFAULT_POINTS_PER_DISTRICT * scale;
    }

    public long totalProblems() {
        return problems != null ? problems : DEFAULT_PROBLEMS_PER_DISTRICT * scale;
    }

    /** Share of {@code total} for district {@code index}: an even split, the remainder going to the first ones. */
    static long shareOf(long total, int scale, int index) {
        return total / scale + (index < total % scale ? 1 : 0);
    }
}
