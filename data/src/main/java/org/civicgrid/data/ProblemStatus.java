package org.civicgrid.data;

/** States of the rectification loop (整改闭环) as written to {@code problems.csv}. */
public enum ProblemStatus {
    REPORTED, ACCEPTED, REJECTED, DISPATCHED, IN_PROGRESS, SUBMITTED, RETURNED, CLOSED, SUSPENDED
}
