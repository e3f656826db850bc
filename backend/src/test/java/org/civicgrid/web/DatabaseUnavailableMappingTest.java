package org.civicgrid.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The one error mapping tells an unreachable database (restart, outage) from a saturated connection pool: both 503
 * with Retry-After and a problem body without internals, but of different types; any other failure stays a 500.
 */
class DatabaseUnavailableMappingTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void aRestartingDatabaseIsA503DatabaseUnavailable() {
        ResponseEntity<ProblemDetail> answer = handler.unexpected(new DataAccessResourceFailureException("PreparedStatementCallback",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")), new MockHttpServletResponse());
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getBody().getType()).isEqualTo(ApiExceptionHandler.DATABASE_UNAVAILABLE);
        assertThat(answer.getBody().getDetail()).contains("Try again").doesNotContain("57P01").doesNotContain("FATAL");
        // a pool timeout while connections fail (Hikari names the failure as its cause) is the same outage
        ResponseEntity<ProblemDetail> refused = handler.unexpected(new CannotCreateTransactionException("Could not open JPA EntityManager",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 5000ms (total=0, active=0, idle=0, waiting=4)",
                        "08001", new SQLException("Connection to 127.0.0.1:15432 refused", "08001"))), new MockHttpServletResponse());
        assertThat(refused.getBody().getType()).isEqualTo(ApiExceptionHandler.DATABASE_UNAVAILABLE);
    }

    @Test
    void aSaturatedPoolIsA503ServerBusy() {
        ResponseEntity<ProblemDetail> answer = handler.unexpected(new CannotCreateTransactionException("Could not open JPA EntityManager",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 5000ms (total=12, active=12, idle=0, waiting=30)")),
                new MockHttpServletResponse());
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getBody().getType()).isEqualTo(ApiExceptionHandler.SERVER_BUSY);
        assertThat(answer.getBody().getDetail()).doesNotContain("Hikari").doesNotContain("total=");
    }

    /** The session store fails as a tile is being written: its media type and length must not stay on the 503. */
    @Test
    void aFailureWhileAnAnswerIsWrittenStartsTheResponseAfresh() {
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setContentType("application/vnd.mapbox-vector-tile");
        response.setContentLength(23867);
        response.setHeader("ETag", "W/\"tile\"");
        ResponseEntity<ProblemDetail> answer = handler.unexpected(new IllegalStateException("Could not write",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 5000ms (total=12, active=12, idle=0, waiting=9)")),
                response);
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(response.getContentType()).isNull();
        assertThat(response.getHeader("Content-Length")).isNull();
        assertThat(response.getHeader("ETag")).isNull();
    }

    @Test
    void otherFailuresStay500() {
        ResponseEntity<ProblemDetail> answer = handler.unexpected(new IllegalStateException("a bug"), new MockHttpServletResponse());
        assertThat(answer.getStatusCode().value()).isEqualTo(500);
        assertThat(answer.getBody().getType()).isEqualTo(ApiExceptionHandler.INTERNAL);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isNull();
    }
}
