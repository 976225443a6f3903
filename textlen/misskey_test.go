package textlen

import (
	"strings"
	"testing"
)

func TestMisskeyRule(t *testing.T) {
	tests := []struct {
		name     string
		max      int
		text     string
		wantLen  int
		wantFits bool
	}{
		{"japanese", 0, "脆弱性", 3, true},
		{"ZWJ family counts its code points", 0, "👨\u200d👩\u200d👧\u200d👦", 7, true},
		{"flag is two code points", 0, "🇯🇵", 2, true},
		{"combining dakuten counts", 0, "か\u3099", 2, true},
		{"URL counts in full", 0, "https://example.com", 19, true},
		{"3000 fit the default", 0, strings.Repeat("あ", 3000), 3000, true},
		{"3001 do not", 0, strings.Repeat("あ", 3001), 3001, false},
		{"server limit", 5000, strings.Repeat("あ", 3001), 3001, true},
		{"empty", 0, "", 0, false},
		{"blank", 0, "\u3000 \n", 3, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := Misskey(tt.max)
			if got := rule.Length(tt.text); got != tt.wantLen {
				t.Errorf("Length = %d, want %d", got, tt.wantLen)
			}
			if got := rule.Fits(tt.text); got != tt.wantFits {
				t.Errorf("Fits = %v, want %v", got, tt.wantFits)
			}
		})
	}
}
