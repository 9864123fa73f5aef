-- +goose Up
-- A claim walks hosts, not due sources (issue 12). Each host keeps a lower
-- bound of its queue's head: (next_due_at, next_due_id) is at most the
-- (next_fetch_at, id) of each of its live sources, and (urgent_at,
-- urgent_id) the same over those scheduled "now" (priority > 0); NULL means
-- none. Writes that can lower the head (a new source, one made live again or
-- moved to the host, an earlier due time, a "fetch now") lower the bound in
-- the trigger below; writes that only raise it (a completed fetch, a pause,
-- a delete) leave it, and the next claim that finds the bound below the
-- head raises it again. A claim walks the hosts in bound order and stops
-- once the sources it found all come before the next host's bound, so a
-- host at its limit with thousands of due sources costs the claim one row,
-- whatever its backlog.
--
-- Completed fetches, the bulk of source writes, never touch the host row, so
-- replicas completing fetches of one host do not queue on it. A write that
-- lowers a bound always takes the host row's lock, even when the bound is
-- already lower: a claim raising the bound takes that lock first and then
-- reads the host's sources in a statement of its own, so it either sees the
-- write's source or the write lowers the bound after it.
ALTER TABLE hosts ADD COLUMN next_due_at BIGINT;
ALTER TABLE hosts ADD COLUMN next_due_id BIGINT;
ALTER TABLE hosts ADD COLUMN urgent_at BIGINT;
ALTER TABLE hosts ADD COLUMN urgent_id BIGINT;
CREATE INDEX hosts_next_due ON hosts(next_due_at, next_due_id, host) WHERE next_due_at IS NOT NULL;
CREATE INDEX hosts_urgent ON hosts(urgent_at, urgent_id, host) WHERE urgent_at IS NOT NULL;
-- A host's queue in due order, and the part of it scheduled "now".
DROP INDEX sources_host_due;
CREATE INDEX sources_host_due ON sources(host, next_fetch_at, id) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired';
CREATE INDEX sources_host_urgent ON sources(host, next_fetch_at, id) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired' AND priority > 0;

INSERT INTO hosts (host) SELECT DISTINCT host FROM sources ON CONFLICT (host) DO NOTHING;
UPDATE hosts SET
    (next_due_at, next_due_id) = (SELECT s.next_fetch_at, s.id FROM sources s WHERE s.host = hosts.host
        AND s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired' ORDER BY s.next_fetch_at, s.id LIMIT 1),
    (urgent_at, urgent_id) = (SELECT s.next_fetch_at, s.id FROM sources s WHERE s.host = hosts.host
        AND s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired' AND s.priority > 0 ORDER BY s.next_fetch_at, s.id LIMIT 1);

-- +goose StatementBegin
CREATE FUNCTION sources_due_bound() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL OR NEW.paused OR NEW.status = 'retired' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.deleted_at IS NULL AND NOT OLD.paused AND OLD.status <> 'retired' AND NEW.host = OLD.host
            AND NEW.next_fetch_at >= OLD.next_fetch_at AND NOT (NEW.priority > 0 AND OLD.priority <= 0) THEN
            RETURN NULL; -- the head can only have moved later
        END IF;
    END IF;
    INSERT INTO hosts AS h (host, next_due_at, next_due_id, urgent_at, urgent_id)
    VALUES (NEW.host, NEW.next_fetch_at, NEW.id,
        CASE WHEN NEW.priority > 0 THEN NEW.next_fetch_at END, CASE WHEN NEW.priority > 0 THEN NEW.id END)
    ON CONFLICT (host) DO UPDATE SET
        next_due_at = CASE WHEN (h.next_due_at IS NULL OR (excluded.next_due_at, excluded.next_due_id) < (h.next_due_at, h.next_due_id)) THEN excluded.next_due_at ELSE h.next_due_at END,
        next_due_id = CASE WHEN (h.next_due_at IS NULL OR (excluded.next_due_at, excluded.next_due_id) < (h.next_due_at, h.next_due_id)) THEN excluded.next_due_id ELSE h.next_due_id END,
        urgent_at = CASE WHEN (excluded.urgent_at IS NOT NULL AND (h.urgent_at IS NULL OR (excluded.urgent_at, excluded.urgent_id) < (h.urgent_at, h.urgent_id))) THEN excluded.urgent_at ELSE h.urgent_at END,
        urgent_id = CASE WHEN (excluded.urgent_at IS NOT NULL AND (h.urgent_at IS NULL OR (excluded.urgent_at, excluded.urgent_id) < (h.urgent_at, h.urgent_id))) THEN excluded.urgent_id ELSE h.urgent_id END;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER sources_due_bound AFTER INSERT OR UPDATE OF host, next_fetch_at, priority, paused, status, deleted_at ON sources
    FOR EACH ROW EXECUTE FUNCTION sources_due_bound();

-- +goose Down
DROP TRIGGER sources_due_bound ON sources;
DROP FUNCTION sources_due_bound();
DROP INDEX sources_host_urgent;
DROP INDEX sources_host_due;
CREATE INDEX sources_host_due ON sources(host, next_fetch_at) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired';
DROP INDEX hosts_urgent;
DROP INDEX hosts_next_due;
ALTER TABLE hosts DROP COLUMN urgent_id;
ALTER TABLE hosts DROP COLUMN urgent_at;
ALTER TABLE hosts DROP COLUMN next_due_id;
ALTER TABLE hosts DROP COLUMN next_due_at;
