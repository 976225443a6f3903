package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"
)

// readers is the size of a read-only store's pool: a few pages and scrapes
// at once, never the writer's single connection.
const readers = 4

// OpenReadOnly opens the database at path for reading only, with its own
// pool of connections, for the status server and the commands that only
// look. The file is opened read-only (mode=ro) and every connection is
// query_only, so nothing through it can change state; in WAL mode its
// readers never wait behind the writer, and busy_timeout covers the short
// locks of a checkpoint. It does not migrate, so it reads only the schema
// this itsecbot writes: a newer or an older one is refused, naming what
// to do.
func OpenReadOnly(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	for _, p := range []string{"busy_timeout(5000)", "query_only(1)", "foreign_keys(1)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s read-only: %w", path, err)
	}
	db.SetMaxOpenConns(readers)
	db.SetMaxIdleConns(2)
	db.SetConnMaxIdleTime(5 * time.Minute)
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s read-only: %w", path, err)
	}
	if version > len(migrations) {
		db.Close()
		return nil, fmt.Errorf("open database %s read-only: schema version %d is newer than this itsecbot knows (%d): upgrade itsecbot",
			path, version, len(migrations))
	}
	if version < len(migrations) {
		db.Close()
		return nil, fmt.Errorf("open database %s read-only: schema version %d is older than this itsecbot's (%d): "+
			"run 'itsecbot once' (or the daemon) once to migrate it", path, version, len(migrations))
	}
	return &Store{db: db, path: path}, nil
}
