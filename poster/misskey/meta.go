package misskey

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/itsecbot/itsecbot/textlen"
)

// DefaultMaxNoteLength is Misskey's compiled-in MAX_NOTE_TEXT_LENGTH.
const DefaultMaxNoteLength = 3000

// maxMetaBody caps what is read of /api/meta.
const maxMetaBody = 1 << 20

// Rule asks the server's POST /api/meta for maxNoteTextLength and returns
// the matching rule. Any failure falls back to the default limit, with the
// error returned beside the usable rule so the caller can log it.
func Rule(ctx context.Context, client *http.Client, server string) (textlen.Rule, error) {
	limit, err := maxNoteLength(ctx, client, server, DefaultUserAgent)
	if err != nil || limit <= 0 {
		return textlen.Misskey(DefaultMaxNoteLength), err
	}
	return textlen.Misskey(limit), nil
}

// maxNoteLength returns the maxNoteTextLength /api/meta announces, 0 when
// it announces none. /api/meta is public: no token is sent.
func maxNoteLength(ctx context.Context, client *http.Client, server, userAgent string) (int, error) {
	url := strings.TrimRight(server, "/") + "/api/meta"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader([]byte(`{"detail":false}`)))
	if err != nil {
		return 0, fmt.Errorf("misskey meta %s: %w", url, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("misskey meta %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("misskey meta %s: HTTP %d", url, resp.StatusCode)
	}
	var meta struct {
		MaxNoteTextLength int `json:"maxNoteTextLength"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxMetaBody)).Decode(&meta); err != nil {
		return 0, fmt.Errorf("misskey meta %s: %w", url, err)
	}
	return meta.MaxNoteTextLength, nil
}
