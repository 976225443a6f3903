package filter_test

import (
	"testing"

	"github.com/itsecbot/itsecbot/filter"
)

// benchTexts are item texts as feeds carry them: a JVN title with
// full-width forms, half-width kana, and an English summary.
var benchTexts = []struct{ name, text string }{
	{"ja-title", "「ＬＡＮＳＣＯＰＥ エンドポイントマネージャー オンプレミス版」におけるパストラバーサルの脆弱性について（JVN#79096585）"},
	{"half-width-kana", "ｾｷｭﾘﾃｨ更新ﾌﾟﾛｸﾞﾗﾑ ＣＶＥ－２０２４－１２３４ ｱﾊﾟｯﾁ　Ｓｔｒｕｔｓ 緊急"},
	{"en-summary", "Microsoft today released updates to fix more than 60 security vulnerabilities in its Windows " +
		"operating systems and supported software, including at least one zero-day flaw that is already being " +
		"exploited in the wild. Redmond warns that attackers are exploiting a remote code execution bug."},
}

// BenchmarkNormalize measures the NFKC, lower-casing and space folding every
// item text goes through before matching.
func BenchmarkNormalize(b *testing.B) {
	for _, tt := range benchTexts {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.text)))
			b.ReportAllocs()
			for b.Loop() {
				if filter.Normalize(tt.text) == "" {
					b.Fatal("empty")
				}
			}
		})
	}
}
