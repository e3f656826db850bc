package org.civicgrid.problems;

/** The states of a problem in the rectification loop (domain.md §5). */
public enum ProblemStatus {
    REPORTED, ACCEPTED, REJECTED, DISPATCHED, IN_PROGRESS, SUBMITTED, RETURNED, CLOSED, SUSPENDED;

    public boolean isOpen() {
        return this != CLOSED && this != REJECTED;
    }
}
