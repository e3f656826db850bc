package org.civicgrid.transfer;

/**
 * Text for spreadsheet cells that a spreadsheet will not run: a cell starting with = + - @ (or tab / carriage
 * return, which some programs skip before looking for a formula) gets a leading single quote, as OWASP's
 * CSV-injection advice says. Numbers written as numbers are left alone.
 */
final class SpreadsheetCells {

    private SpreadsheetCells() {
    }

    static String neutralise(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : text;
    }
}
