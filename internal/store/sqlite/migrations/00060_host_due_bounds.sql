-- +goose Up
-- A claim walks hosts, not due sources (issue 12). Each host keeps a lower
-- bound of its queue's head: (next_due_at, next_due_id) is at most the
-- (next_fetch_at, id) of each of its live sources, and (urgent_at,
-- urgent_id) the same over those scheduled "now" (priority > 0); NULL means
-- none. Writes that can lower the head (a new source, one made live again or
-- moved to the host, an earlier due time, a "fetch now") lower the bound in
-- the triggers below; writes that only raise it (a completed fetch, a
-- pause, a delete) leave it, and the next claim that finds the bound below
-- the head raises it again. A claim walks the hosts in bound order and
-- stops once the sources it found all come before the next host's bound,
-- so a host at its limit with thousands of due sources costs the claim one
-- row, whatever its backlog.
ALTER TABLE hosts ADD COLUMN next_due_at INTEGER;
ALTER TABLE hosts ADD COLUMN next_due_id INTEGER;
ALTER TABLE hosts ADD COLUMN urgent_at INTEGER;
ALTER TABLE hosts ADD COLUMN urgent_id INTEGER;
CREATE INDEX hosts_next_due ON hosts(next_due_at, next_due_id, host) WHERE next_due_at IS NOT NULL;
CREATE INDEX hosts_urgent ON hosts(urgent_at, urgent_id, host) WHERE urgent_at IS NOT NULL;
-- A host's queue in due order, and the part of it scheduled "now".
DROP INDEX sources_host_due;
CREATE INDEX sources_host_due ON sources(host, next_fetch_at, id) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired';
CREATE INDEX sources_host_urgent ON sources(host, next_fetch_at, id) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired' AND priority > 0;

INSERT OR IGNORE INTO hosts (host) SELECT DISTINCT host FROM sources;
UPDATE hosts SET
    (next_due_at, next_due_id) = (SELECT s.next_fetch_at, s.id FROM sources s WHERE s.host = hosts.host
        AND s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired' ORDER BY s.next_fetch_at, s.id LIMIT 1),
    (urgent_at, urgent_id) = (SELECT s.next_fetch_at, s.id FROM sources s WHERE s.host = hosts.host
        AND s.deleted_at IS NULL AND s.paused = FALSE AND s.status <> 'retired' AND s.priority > 0 ORDER BY s.next_fetch_at, s.id LIMIT 1);

-- +goose StatementBegin
CREATE TRIGGER sources_due_bound_insert AFTER INSERT ON sources
WHEN NEW.deleted_at IS NULL AND NEW.paused = FALSE AND NEW.status <> 'retired'
BEGIN
    INSERT OR IGNORE INTO hosts (host) VALUES (NEW.host);
    UPDATE hosts SET next_due_at = NEW.next_fetch_at, next_due_id = NEW.id
        WHERE host = NEW.host AND (next_due_at IS NULL OR (NEW.next_fetch_at, NEW.id) < (next_due_at, next_due_id));
    UPDATE hosts SET urgent_at = NEW.next_fetch_at, urgent_id = NEW.id
        WHERE NEW.priority > 0 AND host = NEW.host AND (urgent_at IS NULL OR (NEW.next_fetch_at, NEW.id) < (urgent_at, urgent_id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sources_due_bound_update AFTER UPDATE OF host, next_fetch_at, priority, paused, status, deleted_at ON sources
WHEN NEW.deleted_at IS NULL AND NEW.paused = FALSE AND NEW.status <> 'retired'
    AND (NOT (OLD.deleted_at IS NULL AND OLD.paused = FALSE AND OLD.status <> 'retired')
        OR NEW.host <> OLD.host OR NEW.next_fetch_at < OLD.next_fetch_at OR (NEW.priority > 0 AND OLD.priority <= 0))
BEGIN
    INSERT OR IGNORE INTO hosts (host) VALUES (NEW.host);
    UPDATE hosts SET next_due_at = NEW.next_fetch_at, next_due_id = NEW.id
        WHERE host = NEW.host AND (next_due_at IS NULL OR (NEW.next_fetch_at, NEW.id) < (next_due_at, next_due_id));
    UPDATE hosts SET urgent_at = NEW.next_fetch_at, urgent_id = NEW.id
        WHERE NEW.priority > 0 AND host = NEW.host AND (urgent_at IS NULL OR (NEW.next_fetch_at, NEW.id) < (urgent_at, urgent_id));
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sources_due_bound_update;
DROP TRIGGER sources_due_bound_insert;
DROP INDEX sources_host_urgent;
DROP INDEX sources_host_due;
CREATE INDEX sources_host_due ON sources(host, next_fetch_at) WHERE deleted_at IS NULL AND paused = FALSE AND status <> 'retired';
DROP INDEX hosts_urgent;
DROP INDEX hosts_next_due;
ALTER TABLE hosts DROP COLUMN urgent_id;
ALTER TABLE hosts DROP COLUMN urgent_at;
ALTER TABLE hosts DROP COLUMN next_due_id;
ALTER TABLE hosts DROP COLUMN next_due_at;
