package discord

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/internal/hook"
)

// apiError is Discord's JSON error: a message, a numeric code (50035
// Invalid Form Body, 50027 Invalid Webhook Token, 10015 Unknown Webhook),
// per-field errors, and for 429 the wait in seconds.
type apiError struct {
	Message    string          `json:"message"`
	Code       int             `json:"code"`
	Errors     json.RawMessage `json:"errors"`
	RetryAfter float64         `json:"retry_after"`
}

// statedLimit finds the limit in "Must be 2000 or fewer in length.".
var statedLimit = regexp.MustCompile(`(\d+) or fewer in length`)

// classify turns an error answer into a *poster.Error (see hook.Classify).
// A content length refusal is CauseTooLong with the limit it states, and a
// 429 waits as long as the longest of Retry-After, X-RateLimit-Reset-After
// and retry_after say.
func (p *Poster) classify(resp hook.Response) *poster.Error {
	var e apiError
	_ = json.Unmarshal(resp.Body, &e) // a proxy's HTML leaves it empty
	msg := hook.Message([]byte(e.Message))
	if msg == "" {
		msg = hook.Message(resp.Body)
	}
	if e.Code != 0 {
		msg = fmt.Sprintf("%s (code %d)", msg, e.Code)
	}
	pe := p.hook.StatusError(resp, msg)
	if pe.Delivered == poster.Rejected && strings.Contains(string(e.Errors), "BASE_TYPE_MAX_LENGTH") {
		pe.Cause = poster.CauseTooLong
		if m := statedLimit.FindSubmatch(e.Errors); m != nil {
			pe.Limit, _ = strconv.Atoi(string(m[1]))
		}
	}
	if resp.Status == http.StatusTooManyRequests {
		pe.RetryAfter = max(pe.RetryAfter, seconds(resp.Header.Get("X-RateLimit-Reset-After")), secondsOf(e.RetryAfter))
	}
	return pe
}

// seconds reads a number of seconds that may have decimals.
func seconds(v string) time.Duration {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0
	}
	return secondsOf(f)
}

func secondsOf(f float64) time.Duration {
	if math.IsNaN(f) || f <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(min(f, 86400) * float64(time.Second)))
}
