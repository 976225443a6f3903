package textlen

import (
	"testing"
	"unicode/utf8"
)

// digest is a ~500-character Japanese digest like the ones the composer builds.
const digest = "【JVN 新着脆弱性情報 2026年10月08日】\n" +
	"1. Movable Typeにおける複数の脆弱性 https://jvn.jp/jp/JVN91153973/\n" +
	"2. キーエンス製複数製品におけるXML外部エンティティ参照（XXE）の不適切な制限の脆弱性 https://jvn.jp/vu/JVNVU98062224/\n" +
	"3. MCC製Universal Library for Linux (uldaq)におけるバッファオーバーフローの脆弱性 https://jvn.jp/vu/JVNVU94062711/\n" +
	"4. Androidアプリ「チケット流通センター」における複数の脆弱性 https://jvn.jp/jp/JVN12345678/\n" +
	"5. GROWIにおけるアクセス制限不備の脆弱性 https://jvn.jp/jp/JVN87654321/\n" +
	"詳細は各リンク先を参照してください。影響を受けるバージョンを利用している場合は、開発者が提供する最新版へアップデートしてください。" +
	"ipa.go.jp および jpcert.or.jp の注意喚起も併せてご確認ください。⚠️🔒\n" +
	"#itsec_jp #脆弱性"

func TestBenchmarkDigestSize(t *testing.T) {
	if n := utf8.RuneCountInString(digest); n < 450 || n > 600 {
		t.Errorf("digest has %d characters, want about 500", n)
	}
}

func BenchmarkLength(b *testing.B) {
	rules := []Rule{Mastodon(0, 0), X(), Bluesky(), Misskey(0)}
	for _, rule := range rules {
		b.Run(rule.Platform(), func(b *testing.B) {
			for b.Loop() {
				rule.Length(digest)
			}
		})
	}
}

func BenchmarkBlueskyFacets(b *testing.B) {
	for b.Loop() {
		BlueskyFacets(digest)
	}
}
