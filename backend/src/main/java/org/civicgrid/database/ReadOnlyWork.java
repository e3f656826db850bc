package org.civicgrid.database;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks read-only work (dashboards, map layers, tiles, exports): a method, or every method of a class, that reads and
 * never writes. With a streaming replica configured ({@code civicgrid.datasource.replica.url}) such a method runs in a
 * read-only transaction that the replica serves (the primary when the replica is down); without one the annotation
 * changes nothing. Put it only where a slightly stale answer (the replica's lag, normally milliseconds) is fine —
 * not on the worklists or a problem's page, which must show the caller's own write at once.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ReadOnlyWork {
}
