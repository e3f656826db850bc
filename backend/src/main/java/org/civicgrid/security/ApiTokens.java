package org.civicgrid.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.civicgrid.audit.AuditTrail;
import org.civicgrid.database.ChangeNotifications;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Personal API tokens: a random secret shown once, stored only as its SHA-256. A token acts as its
 * user with the user's current roles and scope, until revoked or expired or the user is disabled.
 * <p>
 * Authenticated tokens are kept in memory (at most {@link #CACHE_SIZE}, each for at most {@link #CACHE_MILLIS}), so a
 * request needs no query. V19's triggers announce every change of a token, an account, its roles or scope (from any
 * instance or from SQL); this instance's own changes also drop the account's tokens right after their commit
 * ({@link #accountChanged}), as the notification may arrive after the next request. While not listening, every
 * request reads the database as before.
 */
@Service
public class ApiTokens implements ChangeNotifications.Listener {

    public static final String PREFIX = "cg_";

    static final String INSERT = """
            INSERT INTO api_token (user_id, name, token_hash, token_prefix, expires_at)
            VALUES (:userId, :name, :hash, :prefix, :expiresAt) RETURNING id""";
    static final String LIST_FOR_USER = """
            SELECT id, name, token_prefix, created_at, expires_at, last_used_at, revoked_at
            FROM api_token WHERE user_id = :userId ORDER BY created_at DESC, id DESC""";
    static final String REVOKE = """
            UPDATE api_token SET revoked_at = now() WHERE id = :id AND user_id = :userId AND revoked_at IS NULL""";
    /** The live token's account in the same round trip as the token (asked on every token-authenticated request). */
    static final String TOKEN_ACCOUNT = AccountRepository.ACCOUNT_COLUMNS + """
                 , t.id AS token_id, t.expires_at AS token_expires_at, (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS token_stale
            FROM api_token t JOIN app_user u ON u.id = t.user_id
            WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.enabled""";
    /** Last use is kept to the minute (two with the cache): touching the row on every request would make every read a write. */
    static final String TOUCH = "UPDATE api_token SET last_used_at = now() WHERE id = :id";

    public record TokenInfo(long id, String name, String prefix, Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
    }

    public record IssuedToken(long id, String name, String token) {
    }

    private record TokenAccount(long tokenId, Instant expiresAt, boolean stale, AccountRepository.Account account) {
    }

    /** A token's account as read at some moment, usable until {@code usableUntilMillis}. */
    private record Cached(AccountRepository.Account account, long usableUntilMillis) {
    }

    static final String CHANNEL = "civicgrid_account";
    static final int CACHE_SIZE = 10_000;
    static final long CACHE_MILLIS = 60_000;

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every invalidation: an account read before it is not put into the cache after it. */
    private final AtomicLong invalidations = new AtomicLong();
    private volatile boolean listening;

    ApiTokens(JdbcClient jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @Transactional
    public IssuedToken issue(long userId, String name, Instant expiresAt) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        long id = jdbc.sql(INSERT).param("userId", userId).param("name", name.strip()).param("hash", sha256(token))
                .param("prefix", token.substring(0, 9)).param("expiresAt", expiresAt == null ? null : java.sql.Timestamp.from(expiresAt))
                .query(Long.class).single();
        audit.record("TOKEN_ISSUED", "api_token", id, null, null, Map.of("userId", userId, "name", name.strip()));
        return new IssuedToken(id, name.strip(), token);
    }

    public List<TokenInfo> list(long userId) {
        return jdbc.sql(LIST_FOR_USER).param("userId", userId).query((rs, n) -> new TokenInfo(rs.getLong("id"), rs.getString("name"),
                rs.getString("token_prefix"), instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("last_used_at")), instant(rs.getTimestamp("revoked_at")))).list();
    }

    /** Revokes one of the user's own tokens; false when there is no such live token of theirs. */
    @Transactional
    public boolean revoke(long userId, long tokenId) {
        boolean revoked = jdbc.sql(REVOKE).param("id", tokenId).param("userId", userId).update() == 1;
        if (revoked) {
            audit.record("TOKEN_REVOKED", "api_token", tokenId, null, null, Map.of("userId", userId));
            accountChanged(userId);
        }
        return revoked;
    }

    /**
     * Drops the account's tokens from memory once the current transaction commits (at once without one): for writes
     * of this instance to an account, its roles, scope or tokens, so that its very next request sees them.
     */
    public void accountChanged(long userId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    forget(userId);
                }
            });
        } else {
            forget(userId);
        }
    }

    private void forget(long userId) {
        invalidations.incrementAndGet();
        cache.values().removeIf(c -> c.account().id() == userId);
    }

    private void forgetAll() {
        invalidations.incrementAndGet();
        cache.clear();
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public void listening(java.sql.Connection connection) {
        forgetAll();
        listening = true;
    }

    @Override
    public void notified(String payload) {
        try {
            if ("*".equals(payload)) {
                forgetAll();
            } else {
                forget(Long.parseLong(payload));
            }
        } catch (NumberFormatException e) {
            forgetAll();
        }
    }

    @Override
    public void stopped() {
        listening = false;
        forgetAll();
    }

    /** The enabled account a live token belongs to. */
    Optional<AccountRepository.Account> account(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        String hash = sha256(token);
        long now = System.currentTimeMillis();
        Cached cached = listening ? cache.get(hash) : null;
        if (cached != null && cached.usableUntilMillis() > now) {
            return Optional.of(cached.account());
        }
        long invalidationsBefore = invalidations.get();
        Optional<TokenAccount> found = jdbc.sql(TOKEN_ACCOUNT).param("hash", hash)
                .query((rs, n) -> new TokenAccount(rs.getLong("token_id"), instant(rs.getTimestamp("token_expires_at")),
                        rs.getBoolean("token_stale"), AccountRepository.account(rs, n)))
                .optional();
        found.filter(TokenAccount::stale).ifPresent(t -> jdbc.sql(TOUCH).param("id", t.tokenId()).update());
        found.ifPresent(t -> remember(hash, t, now, invalidationsBefore));
        return found.map(TokenAccount::account);
    }

    private void remember(String hash, TokenAccount found, long now, long invalidationsBefore) {
        if (!listening) {
            return;
        }
        long until = now + CACHE_MILLIS;
        if (found.expiresAt() != null) {
            until = Math.min(until, found.expiresAt().toEpochMilli());
        }
        if (cache.size() >= CACHE_SIZE) {
            cache.values().removeIf(c -> c.usableUntilMillis() <= now);
            if (cache.size() >= CACHE_SIZE) {
                cache.clear();   // crude but bounded; refilled by the next requests
            }
        }
        cache.put(hash, new Cached(found.account(), until));
        // Changed meanwhile (by a notification or an own commit): what was read may be older than the change.
        if (invalidations.get() != invalidationsBefore) {
            cache.remove(hash);
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
