-- Changes that app instances keep in memory are announced with NOTIFY (database/ChangeNotifications): layer
-- revisions (ETags without a query per request) and accounts (token authentication without a query per request).

-- Deferred to commit and reading the row's final value, so the many bumps of one layer in a transaction send one
-- notification (identical payloads are folded by PostgreSQL) instead of one per changed row.
CREATE FUNCTION notify_layer_revision() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('civicgrid_layer_revision',
                      NEW.layer || ':' || (SELECT r.revision FROM layer_revision r WHERE r.layer = NEW.layer));
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER layer_revision_notify AFTER INSERT OR UPDATE ON layer_revision
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION notify_layer_revision();

-- The payload is the account's id (TG_ARGV[0] names the column holding it), or '*' for every account.
CREATE FUNCTION notify_account_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM pg_notify('civicgrid_account', '*');
    ELSE
        PERFORM pg_notify('civicgrid_account',
                          (CASE TG_OP WHEN 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END) ->> TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER app_user_notify AFTER UPDATE ON app_user
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION notify_account_change('id');
CREATE TRIGGER app_user_delete_notify AFTER DELETE ON app_user
    FOR EACH ROW EXECUTE FUNCTION notify_account_change('id');
CREATE TRIGGER user_role_notify AFTER INSERT OR UPDATE OR DELETE ON user_role
    FOR EACH ROW EXECUTE FUNCTION notify_account_change('user_id');
CREATE TRIGGER user_area_scope_notify AFTER INSERT OR UPDATE OR DELETE ON user_area_scope
    FOR EACH ROW EXECUTE FUNCTION notify_account_change('user_id');
-- Not on last_used_at: that is touched by token use itself.
CREATE TRIGGER api_token_notify AFTER UPDATE ON api_token
    FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                       OR OLD.user_id <> NEW.user_id OR OLD.token_hash <> NEW.token_hash)
    EXECUTE FUNCTION notify_account_change('user_id');
CREATE TRIGGER api_token_delete_notify AFTER DELETE ON api_token
    FOR EACH ROW EXECUTE FUNCTION notify_account_change('user_id');
-- "Whole city" in an account depends on the set of districts.
CREATE TRIGGER district_account_notify AFTER INSERT OR DELETE ON district
    FOR EACH STATEMENT EXECUTE FUNCTION notify_account_change();
