package textlen

import (
	"strings"
	"testing"
)

func TestSpecRule(t *testing.T) {
	url := "https://www.jpcert.or.jp/at/2026/at260001.html"
	n := len(url)
	text := strings.Repeat("あ", 470) + " " + url
	tests := []struct {
		name     string
		spec     Spec
		wantLen  int
		wantFits bool
	}{
		{"mastodon advertised", Spec{Platform: PlatformMastodon, Limit: 500, URLChars: 25}, 470 + 1 + 25, true},
		{"mastodon default url", Spec{Platform: PlatformMastodon, Limit: 500}, 470 + 1 + 23, true},
		{"urls in full", Spec{Platform: PlatformMastodon, Limit: 500, URLChars: URLFull}, 470 + 1 + n, false},
		{"reserved", Spec{Platform: PlatformMastodon, Limit: 500, Reserved: 10}, 470 + 1 + 23, false},
		{"misskey", Spec{Platform: PlatformMisskey, Limit: 500}, 470 + 1 + n, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.spec.Rule()
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Length(text); got != tt.wantLen {
				t.Errorf("Length = %d, want %d", got, tt.wantLen)
			}
			if got := r.Fits(text); got != tt.wantFits {
				t.Errorf("Fits = %v, want %v (limit %d)", got, tt.wantFits, r.Limit())
			}
		})
	}
}

func TestSpecRuleErrors(t *testing.T) {
	for _, s := range []Spec{{Platform: "myspace"}, {Platform: PlatformMastodon, Limit: 10, Reserved: 10}} {
		if _, err := s.Rule(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}

func TestSpecString(t *testing.T) {
	got := Spec{Platform: PlatformMastodon, Limit: 500, URLChars: URLFull}.String()
	if want := "mastodon limit 500, URLs count in full"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
