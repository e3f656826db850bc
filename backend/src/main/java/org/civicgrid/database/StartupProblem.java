package org.civicgrid.database;

/**
 * A start-up failure the operator can fix: it carries what is wrong and the command that fixes it,
 * and is reported by {@link StartupProblemFailureAnalyzer} as two plain sentences, not a stack trace.
 */
public class StartupProblem extends RuntimeException {

    private final String action;

    public StartupProblem(String description, String action) {
        this(description, action, null);
    }

    public StartupProblem(String description, String action, Throwable cause) {
        super(description, cause);
        this.action = action;
    }

    public String description() {
        return getMessage();
    }

    public String action() {
        return action;
    }
}
