package org.civicgrid.geoformats;

import org.civicgrid.web.InvalidParameterException;

/** A file that cannot be read: the message names the feature (1-based) or part of the file and why. Answered 400. */
public class GeoFileException extends InvalidParameterException {

    public GeoFileException(String reason) {
        super("file", reason);
    }
}
