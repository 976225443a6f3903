package refs

import (
	"slices"
	"strings"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.jpcert.or.jp/at/2025/at250021.html", "https://jpcert.or.jp/at/2025/at250021.html"},
		{"http://WWW.JPCERT.OR.JP/at/2025/at250021.html#top", "https://jpcert.or.jp/at/2025/at250021.html"},
		{"https://jvn.jp/vu/JVNVU91137775/", "https://jvn.jp/vu/JVNVU91137775"},
		{"https://jvn.jp:443/vu/JVNVU91137775", "https://jvn.jp/vu/JVNVU91137775"},
		{"https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=x", "https://example.com/a?id=7"},
		{"https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"},
		{"https://example.com:8443/a/", "https://example.com:8443/a"},
		{"https://example.com/", "https://example.com"},
		{"ftp://example.com/a", ""},
		{"not a url", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCVEs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Cisco ASAおよびFTDにおける複数の脆弱性（CVE-2025-20333、CVE-2025-20362）に関する注意喚起", []string{"CVE-2025-20333", "CVE-2025-20362"}},
		{"ＣＶＥ－２０２６－１２３４ の脆弱性", []string{"CVE-2026-1234"}},
		{"cve-2026-1234 and CVE‐2026‐1234 (U+2010)", []string{"CVE-2026-1234"}},
		{"CVE−2026−55726 (minus sign)", []string{"CVE-2026-55726"}},
		{"CVE-26-1234 is not an id, nor CVE-2026-12", nil},
	}
	for _, tt := range tests {
		if got := CVEs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("CVEs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJVNIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"「FileZen」におけるOSコマンドインジェクションの脆弱性について（JVN#84622767）", []string{"JVN#84622767"}},
		{"https://jvn.jp/jp/JVN84622767/", []string{"JVN#84622767"}},
		{"https://jvn.jp/vu/JVNVU91137775/ and JVNVU#91137775", []string{"JVNVU#91137775"}},
		{"JVNDB-2021-010119", []string{"JVNDB-2021-010119"}},
		{"ＪＶＮ＃８４６２２７６７", []string{"JVN#84622767"}},
		{"JVN#1234 is too short", nil},
	}
	for _, tt := range tests {
		if got := JVNIDs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("JVNIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOf(t *testing.T) {
	got := Of("https://www.ipa.go.jp/security/security-alert/2025/20260213-jvn.html", []string{"CVE-2026-25108"},
		"「FileZen」におけるOSコマンドインジェクションの脆弱性について（JVN#84622767）")
	want := []string{"cve:CVE-2026-25108", "jvn:JVN#84622767", "url:https://ipa.go.jp/security/security-alert/2025/20260213-jvn.html"}
	if !slices.Equal(got, want) {
		t.Errorf("Of = %q, want %q", got, want)
	}
	roundup := CVEs("CVE-2026-1001 CVE-2026-1002 CVE-2026-1003 CVE-2026-1004 CVE-2026-1005 CVE-2026-1006")
	for _, r := range Of("https://example.com/monthly", roundup) {
		if r[:4] == "cve:" {
			t.Errorf("a roundup of six CVEs gave ref %q; its CVEs must not group stories", r)
		}
	}
}

func TestMentions(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"see CVE-2026-1", true}, {"cve", true}, {"Cve", true}, {"ＣＶＥ", true}, {"ｃｖｅ", true}, {"ＣVe", true},
		{"CV E", false}, {"脆弱性", false}, {"", false}, {"C", false}, {"ＣＶ", false},
	} {
		if got := mentions(tt.text, "CVE"); got != tt.want {
			t.Errorf("mentions(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func FuzzMentions(f *testing.F) {
	f.Add("ＣＶＥ－２０２６－１２３４")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := mentions(text, "CVE"), strings.Contains(fold(text), "CVE"); got != want {
			t.Fatalf("mentions(%q) = %v, folded text says %v", text, got, want)
		}
	})
}

func FuzzOf(f *testing.F) {
	f.Add("https://jvn.jp/vu/JVNVU91137775/", "ＣＶＥ－２０２６－１２３４ JVN#84622767")
	f.Fuzz(func(t *testing.T, link, text string) {
		for _, r := range Of(link, CVEs(text), text) {
			if r == "url:" || r == "cve:" || r == "jvn:" {
				t.Fatalf("empty ref from %q %q", link, text)
			}
		}
	})
}
