package textlen

import "fmt"

// Spec is a length rule as data, so that it can be stored, compared and
// tightened when a server turns out to count differently from what it
// advertises.
type Spec struct {
	Platform string `json:"platform"`
	// Limit is the largest length accepted; 0 means the platform's default.
	Limit int `json:"limit,omitempty"`
	// URLChars is what each URL counts on Mastodon: 0 means 23, URLFull its
	// own length. Other platforms ignore it.
	URLChars int `json:"url_chars,omitempty"`
	// Reserved is taken off Limit: room kept for text the poster adds, such
	// as a content warning that the server counts with the post.
	Reserved int `json:"reserved,omitempty"`
}

// Rule builds the rule the spec describes.
func (s Spec) Rule() (Rule, error) {
	var base Rule
	if s.Platform == PlatformMastodon {
		base = Mastodon(s.Limit, s.URLChars)
	} else {
		r, err := ForPlatform(s.Platform, s.Limit)
		if err != nil {
			return nil, err
		}
		base = r
	}
	if s.Reserved <= 0 {
		return base, nil
	}
	if s.Reserved >= base.Limit() {
		return nil, fmt.Errorf("rule for %s: %d reserved of a %d limit leaves no room", s.Platform, s.Reserved, base.Limit())
	}
	return reserved{Rule: base, n: s.Reserved}, nil
}

// String describes the spec for logs and the outbox, e.g.
// "mastodon limit 500, URLs count 23".
func (s Spec) String() string {
	out := s.Platform
	if s.Limit > 0 {
		out += fmt.Sprintf(" limit %d", s.Limit)
	} else {
		out += " default limit"
	}
	if s.Platform == PlatformMastodon {
		switch {
		case s.URLChars < 0:
			out += ", URLs count in full"
		case s.URLChars > 0:
			out += fmt.Sprintf(", URLs count %d", s.URLChars)
		}
	}
	if s.Reserved > 0 {
		out += fmt.Sprintf(", %d reserved", s.Reserved)
	}
	return out
}

// reserved keeps room for text the server counts with the post.
type reserved struct {
	Rule
	n int
}

func (r reserved) Limit() int { return r.Rule.Limit() - r.n }

func (r reserved) Fits(text string) bool {
	return r.Rule.Fits(text) && r.Rule.Length(text) <= r.Limit()
}
