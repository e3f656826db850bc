package org.civicgrid.audit;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import tools.jackson.databind.ObjectMapper;

/**
 * Records every write: who, when, which object, its state before and after, and from which address.
 * Joins the caller's transaction, so an audited change and its audit row commit or roll back together.
 */
@Service
public class AuditTrail {

    static final String INSERT = """
            INSERT INTO audit_log (actor, action, object_type, object_id, area_code, before_state, after_state, client_address)
            VALUES (:actor, :action, :objectType, :objectId, :areaCode, CAST(:before AS jsonb), CAST(:after AS jsonb), :address)""";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AuditTrail(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Records a change made by the signed-in caller. {@code before}/{@code after} are serialized as JSON (null = none). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void record(String action, String objectType, Object objectId, String areaCode, Object before, Object after) {
        write(currentActor(), action, objectType, objectId, areaCode, before, after);
    }

    /** Records an event outside any business transaction (e.g. a failed sign-in), in a transaction of its own. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordAs(String actor, String action, String objectType, Object objectId, String areaCode, Object details) {
        write(actor, action, objectType, objectId, areaCode, null, details);
    }

    private void write(String actor, String action, String objectType, Object objectId, String areaCode, Object before, Object after) {
        jdbc.sql(INSERT)
                .param("actor", actor).param("action", action).param("objectType", objectType)
                .param("objectId", objectId == null ? null : String.valueOf(objectId)).param("areaCode", areaCode)
                .param("before", before == null ? null : json.writeValueAsString(before))
                .param("after", after == null ? null : json.writeValueAsString(after))
                .param("address", clientAddress())
                .update();
    }

    private static String currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? "system" : authentication.getName();
    }

    /** The remote address as seen after a trusted proxy's forwarding headers are applied (server.forward-headers-strategy). */
    public static String clientAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
