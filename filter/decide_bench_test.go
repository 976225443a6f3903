package filter_test

import (
	"testing"

	"github.com/itsecbot/itsecbot/filter"
)

// The production config's rules: a global exclude list, and news feeds'
// own include lists.
var (
	benchExclude = []string{"セミナー", "ウェビナー", "講演", "求人", "採用情報", "webinar", "sponsored"}
	benchJA      = []string{"脆弱性", "不正アクセス", "マルウェア", "ランサムウェア", "情報漏えい", "情報漏洩", "フィッシング",
		"サイバー攻撃", "攻撃", "不正", "CVE", "ゼロデイ", "パッチ", "修正"}
	benchEN = []string{"vulnerability", "vulnerabilities", "zero-day", "0-day", "exploit", "CVE", "ransomware",
		"malware", "breach", "patch", "backdoor", "phishing", "botnet"}
)

// BenchmarkDecide measures one filter decision on an item's title, summary
// and categories: accepted on an early keyword, accepted on the last
// keyword tried, rejected after trying them all, and excluded.
func BenchmarkDecide(b *testing.B) {
	global := filter.Rules{Exclude: benchExclude}
	cases := []struct {
		name     string
		feed     *filter.Rules
		texts    []string
		accepted bool
	}{
		{"ja-accept-all", nil, []string{"JVN#79096585: パストラバーサルの脆弱性", "IPA が注意喚起を公開しました。"}, true},
		{"ja-include-match", &filter.Rules{Include: benchJA}, []string{"ＮＡＳ製品における情報漏えい", "複数の問題が報告されています。", "ニュース"}, true},
		{"en-include-last", &filter.Rules{Include: benchEN}, []string{"Weekly roundup", "Researchers found a new botnet.", "Security"}, true},
		{"en-no-match", &filter.Rules{Include: benchEN}, []string{"Friday Squid Blogging: Squid Fishing", "Squid fishing in the Falklands is big business, and the season opened early this year. As usual, you can also use this squid post to talk about the security stories in the news.", "Uncategorized"}, false},
		{"excluded", &filter.Rules{Include: benchJA}, []string{"脆弱性対策ウェビナーのご案内", "参加無料", "イベント"}, false},
	}
	for _, tt := range cases {
		f := filter.New(global, tt.feed)
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				it := filter.Fields{Title: tt.texts[0], Summary: tt.texts[1]}
				if len(tt.texts) > 2 {
					it.Categories = tt.texts[2:]
				}
				if d := f.Decide(it); d.Accepted != tt.accepted {
					b.Fatalf("Decide = %+v, want accepted %v", d, tt.accepted)
				}
			}
		})
	}
}
