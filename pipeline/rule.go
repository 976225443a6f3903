package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/textlen"
)

// Poster state keys for length rules.
const (
	stateLimits  = "limits"  // the rule the platform last stated (textlen.Spec)
	stateLearned = "learned" // a stricter rule learned from refusals (learned)
)

// minLimit bounds how far refusals may lower a limit: below it, a server
// refusing posts is not counting differently, it is broken.
const minLimit = 50

// learned is a rule tightened after the platform refused posts our rule
// said fit. It holds while the platform states the same Base rule.
type learned struct {
	Base  textlen.Spec `json:"base"`
	Tight textlen.Spec `json:"tight"`
}

// errLimitsUnknown means the platform's limits could not be read and none
// are stored: composing waits rather than guess a limit that is too small
// (a 5000-character server threaded under a guessed 500).
var errLimitsUnknown = errors.New("the platform's limits could not be read and none are known yet")

// ruleOf returns the poster's rule: what the platform states (or, when it
// cannot be asked, what it stated last time), tightened by what refusals
// taught. base is the stated rule, kept to file what is learned. Unless
// persist, a newly stated rule is not stored (a preview changes nothing).
func (c *Cycle) ruleOf(ctx context.Context, p poster.Poster, log *slog.Logger, persist bool) (rule textlen.Rule, spec, base textlen.Spec, err error) {
	st := c.Store.StateOf(p.Name())
	var stored textlen.Spec
	known, err := loadJSON(ctx, st, stateLimits, &stored)
	if err != nil {
		return nil, spec, base, err
	}
	base, lerr := p.Limits(ctx)
	switch {
	case lerr != nil && known:
		base = stored
		log.Warn("cannot read the platform's limits; using the last known", "error", lerr.Error(), "rule", base.String())
	case lerr != nil:
		return nil, spec, base, fmt.Errorf("%w: %w", errLimitsUnknown, lerr)
	case persist && (!known || stored != base):
		if err := saveJSON(ctx, st, stateLimits, base); err != nil {
			return nil, spec, base, err
		}
	}
	spec = base
	var l learned
	if ok, err := loadJSON(ctx, st, stateLearned, &l); err != nil {
		return nil, spec, base, err
	} else if ok && l.Base == base {
		spec = l.Tight
	}
	rule, err = spec.Rule()
	if err != nil {
		return nil, spec, base, fmt.Errorf("length rule of %s: %w", p.Name(), err)
	}
	return rule, spec, base, nil
}

// tighten returns a stricter spec that explains why the platform refused
// text as too long although rule (from spec) says it fits, or false when
// there is none. stated is the limit the platform named, 0 if none.
//
// In order: a stated limit below ours is the real limit; else, on
// Mastodon-compatible servers, counting URLs in full (some servers
// advertise a URL length but do not apply it); else the limit is below
// the text's length as we count it.
func tighten(spec textlen.Spec, rule textlen.Rule, text string, stated int) (textlen.Spec, bool) {
	if spec.Limit == 0 {
		spec.Limit = rule.Limit() + spec.Reserved
	}
	if stated >= minLimit && stated < spec.Limit {
		spec.Limit = stated
		return spec, true
	}
	if spec.Platform == textlen.PlatformMastodon && spec.URLChars != textlen.URLFull {
		full := spec
		full.URLChars = textlen.URLFull
		if r, err := full.Rule(); err == nil && !r.Fits(text) {
			return full, true
		}
	}
	lower := rule.Length(text) - 1 + spec.Reserved
	if lower < minLimit+spec.Reserved || lower >= spec.Limit {
		return spec, false
	}
	spec.Limit = lower
	return spec, true
}

// learn files a tightened rule for the poster.
func (c *Cycle) learn(ctx context.Context, name string, base, tight textlen.Spec) error {
	return saveJSON(ctx, c.Store.StateOf(name), stateLearned, learned{Base: base, Tight: tight})
}

func loadJSON(ctx context.Context, st poster.State, key string, v any) (bool, error) {
	s, err := st.Load(ctx, key)
	if err != nil || s == "" {
		return false, err
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return false, fmt.Errorf("decode stored %s: %w", key, err)
	}
	return true, nil
}

func saveJSON(ctx context.Context, st poster.State, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return st.Save(ctx, key, string(b))
}
