package org.civicgrid.web;

/** The object does not exist or lies outside the caller's scope: both answer 404, so existence does not leak. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String objectType, Object id) {
        super("No " + objectType + " " + id + " here.");
    }
}
