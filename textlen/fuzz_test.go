package textlen

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

var fuzzSeeds = []string{
	"",
	digest,
	"詳細はexample.com/path です http://foo_bar.com",
	"https://t.co/abc123?x=1 @user@mastodon.social #itsec_jp",
	"\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069",
	"👨\u200d👩\u200d👧\u200d👦🇯🇵#\ufe0f\u20e3©️☺︎か\u3099",
	"(https://en.wikipedia.org/wiki/Go_(language)) ＃注意 #123",
	"http://あいうえおかきくけこ.com xn--wgv71a119e.jp:8080/a?b=c",
}

// checkSpans fails unless spans are ordered, disjoint, non-empty and on
// rune boundaries of text.
func checkSpans(t *testing.T, text string, spans []span) {
	t.Helper()
	prevEnd := 0
	for _, s := range spans {
		if s.start < prevEnd || s.end <= s.start || s.end > len(text) {
			t.Fatalf("bad span %v after %d in %q", s, prevEnd, text)
		}
		if !utf8.RuneStart(text[s.start]) || s.end < len(text) && !utf8.RuneStart(text[s.end]) {
			t.Fatalf("span %v splits a rune in %q", s, text)
		}
		prevEnd = s.end
	}
}

func FuzzURLsAndWeights(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		checkSpans(t, text, xURLs.extract(text))
		checkSpans(t, text, mastodonURLs.extract(text))
		v3, v2 := TwitterWeightedLength(text, true), TwitterWeightedLength(text, false)
		if v3 < 0 || v3 > v2 {
			t.Fatalf("weighted lengths v3 %d, v2 %d for %q: want 0 <= v3 <= v2", v3, v2, text)
		}
		if !strings.ContainsAny(text, ":@") && !isBlank(text) {
			if got, want := MastodonLength("", text, 0), uniseg.GraphemeClusterCount(text); got != want {
				t.Fatalf("MastodonLength(%q) = %d without URLs or mentions, want %d graphemes", text, got, want)
			}
		}
	})
}

func FuzzBlueskyFacets(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		facets := BlueskyFacets(text)
		spans := make([]span, len(facets))
		for i, fc := range facets {
			spans[i] = span{fc.ByteStart, fc.ByteEnd}
		}
		checkSpans(t, text, spans)
		for _, fc := range facets {
			covered := text[fc.ByteStart:fc.ByteEnd]
			switch fc.Kind {
			case FacetLink:
				if covered != fc.Value || xURLs.schemeLen(covered) == 0 {
					t.Fatalf("link facet %+v covers %q", fc, covered)
				}
			case FacetTag:
				value, hashed := strings.CutPrefix(covered, "#")
				if !hashed {
					value, hashed = strings.CutPrefix(covered, "＃")
				}
				if !hashed || value != fc.Value || fc.Value == "" {
					t.Fatalf("tag facet %+v covers %q", fc, covered)
				}
			default:
				t.Fatalf("facet kind %q", fc.Kind)
			}
		}
	})
}
