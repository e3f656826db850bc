package org.civicgrid.data;

import java.util.Locale;

/** One generated district: its index in a benchmark run, GB/T 2260-style code, name and centre. */
record DistrictSpec(int index, String code, String name, double centreLon, double centreLat) {

    static final String FIRST_CODE = "320508";
    private static final double FIRST_LON = 120.62;
    private static final double FIRST_LAT = 31.31;
    /** Spacing between benchmark districts; each district is at most about 9 km × 7 km. */
    private static final double STEP_LON = 0.12;
    private static final double STEP_LAT = 0.085;

    /**
     * District {@code index} of {@code scale}: the first is 姑苏区 (320508); the others are laid out west and
     * south of it on a square layout, with codes 32CCDD that look like Jiangsu district codes.
     */
    static DistrictSpec of(int index, int scale) {
        int columns = (int) Math.ceil(Math.sqrt(scale));
        double lon = FIRST_LON - (index % columns) * STEP_LON;
        double lat = FIRST_LAT - (index / columns) * STEP_LAT;
        return new DistrictSpec(index, codeOf(index), NameBank.districtName(index), lon, lat);
    }

    private static String codeOf(int index) {
        if (index == 0) {
            return FIRST_CODE;
        }
        // Districts 02..21 under cities 01..99, then the next province; 320508 itself is skipped.
        int sequence = index - 1;
        if (sequence >= 86) {
            sequence++;
        }
        int province = 32 + sequence / (99 * 20);
        int city = 1 + sequence / 20 % 99;
        int district = 2 + sequence % 20;
        return String.format(Locale.ROOT, "%02d%02d%02d", province, city, district);
    }
}
