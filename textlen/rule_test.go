package textlen

import "testing"

func TestForPlatform(t *testing.T) {
	tests := []struct {
		platform  string
		limit     int
		wantLimit int
	}{
		{"mastodon", 0, 500},
		{"mastodon", 5000, 5000},
		{"x", 0, 280},
		{"x", -1, 280},
		{"x", 25000, 25000},
		{"bluesky", 0, 300},
		{"misskey", 0, 3000},
		{"misskey", 5000, 5000},
	}
	for _, tt := range tests {
		rule, err := ForPlatform(tt.platform, tt.limit)
		if err != nil {
			t.Errorf("ForPlatform(%q, %d): %v", tt.platform, tt.limit, err)
			continue
		}
		if got := rule.Platform(); got != tt.platform {
			t.Errorf("ForPlatform(%q, %d).Platform() = %q", tt.platform, tt.limit, got)
		}
		if got := rule.Limit(); got != tt.wantLimit {
			t.Errorf("ForPlatform(%q, %d).Limit() = %d, want %d", tt.platform, tt.limit, got, tt.wantLimit)
		}
	}
	for _, name := range []string{"", "twitter", "Mastodon"} {
		if _, err := ForPlatform(name, 0); err == nil {
			t.Errorf("ForPlatform(%q) returned no error", name)
		}
	}
}

func TestDefaultRules(t *testing.T) {
	tests := []struct {
		rule      Rule
		platform  string
		wantLimit int
	}{
		{Mastodon(0, 0), "mastodon", 500},
		{Mastodon(-5, -1), "mastodon", 500},
		{X(), "x", 280},
		{Bluesky(), "bluesky", 300},
		{Misskey(-1), "misskey", 3000},
	}
	for _, tt := range tests {
		if got := tt.rule.Platform(); got != tt.platform {
			t.Errorf("Platform() = %q, want %q", got, tt.platform)
		}
		if got := tt.rule.Limit(); got != tt.wantLimit {
			t.Errorf("%s Limit() = %d, want %d", tt.platform, got, tt.wantLimit)
		}
	}
}
