package textlen

import (
	"strings"
	"testing"
)

func TestChatLengths(t *testing.T) {
	const url = "https://jvn.jp/vu/JVNVU12345678/" // 32 characters
	tests := []struct {
		name    string
		text    string
		slack   int
		discord int
		teams   int
	}{
		{"japanese", "脆弱性", 3, 3, 9 + 64},
		{"URL on its own", url, 32 + 2, 32 + 4, 32 + 4 + 64},
		{"title then URL", "1. 注意\n" + url, 6 + 32 + 2, 6 + 32 + 4, 9 + 32 + 4 + 2*64},
		{"slack controls", "a & <b> |", 1 + 1 + 5 + 1 + 4 + 1 + 5 + 1 + 3, 9 + 2 + 2 + 1, 9 + 2 + 2 + 64},
		{"mention", "@everyone ＠here", 15, 15 + 2, 9 + 1 + 3 + 4 + 64},
		{"discord markdown", "*_~`|#->\\", 9 + 2 + 4, 9*2 + 1, 9 + 2 + 1 + 2 + 2 + 64},
		{"teams markdown", "[x](y) \"q\"", 10, 10 + 4*2, 10 + 4*2 + 2 + 64},
		{"upper-case scheme counts", "HTTPS://A.JP", 12 + 2, 12 + 4, 12 + 4 + 64},
		{"control and separator escaped in JSON", "a\tb\u2028", 4, 4, 2 + 6 + 6 + 64},
		{"emoji", "🇯🇵", 2, 2, 8 + 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SlackLength(tt.text); got != tt.slack {
				t.Errorf("SlackLength = %d, want %d", got, tt.slack)
			}
			if got := DiscordLength(tt.text); got != tt.discord {
				t.Errorf("DiscordLength = %d, want %d", got, tt.discord)
			}
			if got := TeamsLength(tt.text); got != tt.teams {
				t.Errorf("TeamsLength = %d, want %d", got, tt.teams)
			}
		})
	}
}

func TestChatRulesFit(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		text string
		want bool
	}{
		{"slack 4000", Slack(0), strings.Repeat("あ", 4000), true},
		{"slack 4001", Slack(0), strings.Repeat("あ", 4001), false},
		{"slack escapes count", Slack(0), strings.Repeat("あ", 3996) + "&", false},
		{"slack learned limit", Slack(100), strings.Repeat("あ", 101), false},
		{"discord 2000", Discord(0), strings.Repeat("あ", 2000), true},
		{"discord escapes count", Discord(0), strings.Repeat("あ", 1999) + "-", false},
		{"discord blank", Discord(0), " \n\u3000", false},
		{"teams bytes", Teams(0), strings.Repeat("あ", (19000-64)/3), true},
		{"teams one more", Teams(0), strings.Repeat("あ", (19000-64)/3+1), false},
		{"webhook 10000", Webhook(0), strings.Repeat("あ", 10000), true},
		{"webhook 10001", Webhook(0), strings.Repeat("あ", 10001), false},
		{"webhook configured", Webhook(500), strings.Repeat("a", 501), false},
		{"webhook empty", Webhook(0), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.Fits(tt.text); got != tt.want {
				t.Errorf("Fits = %v, want %v (length %d, limit %d)", got, tt.want, tt.rule.Length(tt.text), tt.rule.Limit())
			}
		})
	}
}

func TestChatForPlatform(t *testing.T) {
	tests := []struct {
		platform string
		limit    int
		want     int
	}{
		{"slack", 0, 4000},
		{"slack", 3000, 3000},
		{"discord", 0, 2000},
		{"discord", -1, 2000},
		{"teams", 0, 19000},
		{"webhook", 0, 10000},
		{"webhook", 50000, 50000},
	}
	for _, tt := range tests {
		r, err := Spec{Platform: tt.platform, Limit: tt.limit}.Rule()
		if err != nil {
			t.Errorf("%s: %v", tt.platform, err)
			continue
		}
		if r.Platform() != tt.platform || r.Limit() != tt.want {
			t.Errorf("Spec{%s, %d}.Rule() = %s limit %d, want limit %d", tt.platform, tt.limit, r.Platform(), r.Limit(), tt.want)
		}
	}
}
