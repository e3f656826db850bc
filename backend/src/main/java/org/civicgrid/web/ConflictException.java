package org.civicgrid.web;

import java.util.Map;

/**
 * The request cannot apply to the current state (a duplicate name, a stale version, a move not allowed
 * from this state…): 409, with properties that tell the client what the state is now.
 */
public class ConflictException extends RuntimeException {

    private final Map<String, Object> properties;

    public ConflictException(String message) {
        this(message, Map.of());
    }

    public ConflictException(String message, Map<String, Object> properties) {
        super(message);
        this.properties = Map.copyOf(properties);
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
