package org.civicgrid.data;

import java.util.SplittableRandom;

/**
 * Simulates one problem through the rectification loop up to the as-of moment: acceptance or rejection,
 * dispatch, handling (a share of handlers run past the category's working-time limit), inspection with
 * occasional returns for rework, and a few suspensions. The state at as-of becomes the problem's status.
 */
final class ProblemTimeline {

    static final long NONE = Long.MIN_VALUE;

    ProblemStatus status;
    long acceptedAt;
    long dispatchedAt;
    long closedAt;
    int reworkCount;

    private final WorkingCalendar calendar;

    ProblemTimeline(WorkingCalendar calendar) {
        this.calendar = calendar;
    }

    /** Fills the fields for a problem reported at {@code reportedAt}, seen at {@code asOf} (local minutes). */
    void simulate(long reportedAt, int limitHours, long asOf, SplittableRandom rnd) {
        acceptedAt = NONE;
        dispatchedAt = NONE;
        closedAt = NONE;
        reworkCount = 0;
        long limit = limitHours * 60L;

        long decidedAt = after(reportedAt, rnd.nextLong(5, 240));
        boolean rejected = rnd.nextDouble() < 0.06;
        if (asOf <= decidedAt) {
            status = ProblemStatus.REPORTED;
            return;
        }
        if (rejected) {
            status = ProblemStatus.REJECTED;
            return;
        }
        acceptedAt = decidedAt;
        long dispatchAt = after(acceptedAt, rnd.nextDouble() < 0.8 ? rnd.nextLong(2, 90) : rnd.nextLong(90, 480));
        if (asOf <= dispatchAt) {
            status = ProblemStatus.ACCEPTED;
            return;
        }
        dispatchedAt = dispatchAt;
        long startAt = after(dispatchAt, rnd.nextLong(10, Math.max(11, Math.min(480, limit / 2))));
        if (asOf <= startAt) {
            status = ProblemStatus.DISPATCHED;
            return;
        }
        if (rnd.nextDouble() < 0.025) {
            // Long-term items (挂账) are parked once the handler has looked at them.
            long suspendAt = after(startAt, limit / 2 + 60);
            status = asOf <= suspendAt ? ProblemStatus.IN_PROGRESS : ProblemStatus.SUSPENDED;
            return;
        }
        double effort = rnd.nextDouble() < 0.82 ? rnd.nextDouble(0.1, 0.85) : rnd.nextDouble(0.95, 4.0);
        long submitAt = after(startAt, Math.max(15, (long) (effort * limit)));
        for (int round = 0; ; round++) {
            if (asOf <= submitAt) {
                status = round == 0 ? ProblemStatus.IN_PROGRESS : ProblemStatus.RETURNED;
                return;
            }
            long verifiedAt = after(submitAt, rnd.nextLong(20, 360));
            if (asOf <= verifiedAt) {
                status = ProblemStatus.SUBMITTED;
                return;
            }
            boolean returned = round < 3 && rnd.nextDouble() < (round == 0 ? 0.14 : 0.06);
            if (!returned) {
                status = ProblemStatus.CLOSED;
                closedAt = verifiedAt;
                return;
            }
            reworkCount++;
            submitAt = after(verifiedAt, 30 + (long) (rnd.nextDouble(0.1, 0.6) * limit));
        }
    }

    private long after(long from, long workingMinutes) {
        return calendar.plusWorkingMinutes(from, workingMinutes);
    }
}
