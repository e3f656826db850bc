package org.civicgrid.transfer;

/** One problem with one row: the row as the user sees it (CSV header = row 1; file features from 1), the field, why. */
record ImportError(int row, String field, String message) {
}
