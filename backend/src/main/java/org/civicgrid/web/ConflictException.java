package org.civicgrid.web;

/** The request cannot apply to the current state (a duplicate name, a stale version…): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
