package org.civicgrid.transfer;

import java.util.ArrayList;
import java.util.List;

/** Errors found while reading a file: the first ones kept, all counted, and the number of distinct rows they are on. */
final class ImportErrors {

    final List<ImportError> shown = new ArrayList<>();
    long count;
    long badRows;
    private int lastRow = -1;

    /** Errors arrive in row order (all of one row together). */
    void add(ImportError error) {
        count++;
        if (error.row() != lastRow) {
            badRows++;
            lastRow = error.row();
        }
        if (shown.size() < ImportService.MAX_ERRORS_SHOWN) {
            shown.add(error);
        }
    }
}
