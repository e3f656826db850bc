-- Users, sign-in protection, API tokens, scoped audit, and the sessions table shared by app instances.

ALTER TABLE app_user
    ADD COLUMN failed_logins        integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    ADD COLUMN locked_until         timestamptz,
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
    ADD COLUMN demo_account         boolean NOT NULL DEFAULT false,
    ADD COLUMN password_changed_at  timestamptz;

-- Scope checks compare area codes by prefix (a subtree shares its root's code as prefix).
CREATE INDEX grid_code_prefix_idx ON grid (code text_pattern_ops);

-- Personal API tokens for QGIS and scripts: only a SHA-256 of the secret is stored.
CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    token_hash   char(64) NOT NULL UNIQUE,
    token_prefix varchar(12) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX api_token_user_idx ON api_token (user_id);

-- The area an audited object belongs to, so leaders can browse the audit of their own area.
ALTER TABLE audit_log ADD COLUMN area_code varchar(15);
CREATE INDEX audit_log_area_idx ON audit_log (area_code text_pattern_ops);
CREATE INDEX audit_log_actor_idx ON audit_log (actor);

-- Spring Session JDBC: sessions in PostgreSQL so several app instances serve one user.
CREATE TABLE spring_session (
    primary_id            char(36) NOT NULL PRIMARY KEY,
    session_id            char(36) NOT NULL UNIQUE,
    creation_time         bigint NOT NULL,
    last_access_time      bigint NOT NULL,
    max_inactive_interval integer NOT NULL,
    expiry_time           bigint NOT NULL,
    principal_name        varchar(100)
);

CREATE INDEX spring_session_expiry_idx ON spring_session (expiry_time);
CREATE INDEX spring_session_principal_idx ON spring_session (principal_name);

CREATE TABLE spring_session_attributes (
    session_primary_id char(36) NOT NULL REFERENCES spring_session (primary_id) ON DELETE CASCADE,
    attribute_name     varchar(200) NOT NULL,
    attribute_bytes    bytea NOT NULL,
    PRIMARY KEY (session_primary_id, attribute_name)
);
