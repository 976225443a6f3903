package filter

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＣＶＥ－２０２４－１２３４", "cve-2024-1234"},
		{"ｾｷｭﾘﾃｨ", "セキュリティ"},
		{"ｱﾊﾟｯﾁ　Ｓｔｒｕｔｓ", "アパッチ struts"},
		{"  Apache\t\nHTTP  Server ", "apache http server"},
		{"①　脆弱性", "1 脆弱性"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecide(t *testing.T) {
	global := Rules{Include: []string{"脆弱性", "CVE", "マルウェア", "ransomware", "RCE"}, Exclude: []string{"セミナー", "ウェビナー"}}
	tests := []struct {
		name     string
		feed     *Rules
		texts    []string
		accepted bool
		reason   string
	}{
		{"full-width keyword in text", nil, []string{"Ａｐａｃｈｅ におけるＣＶＥ－２０２４－１"}, true, `matched "CVE" (global filter)`},
		{"half-width kana keyword", &Rules{Include: []string{"ｾｷｭﾘﾃｨ"}}, []string{"セキュリティ更新プログラム"}, true, `matched "ｾｷｭﾘﾃｨ" (feed filter)`},
		{"full-width text, half-width keyword", &Rules{Include: []string{"ｾｷｭﾘﾃｨ"}}, []string{"ｾｷｭﾘﾃｨ更新"}, true, `matched "ｾｷｭﾘﾃｨ" (feed filter)`},
		{"mixed case English", nil, []string{"New RaNsOmWaRe gang"}, true, `matched "ransomware" (global filter)`},
		{"Japanese substring without spaces", nil, []string{"ルータにおけるOSコマンドインジェクションの脆弱性"}, true, `matched "脆弱性" (global filter)`},
		{"exclude beats include", nil, []string{"脆弱性対策セミナーのご案内"}, false, `excluded by "セミナー" (global filter)`},
		{"half-width exclude matches full-width", nil, []string{"脆弱性ｳｪﾋﾞﾅｰ開催"}, false, `excluded by "ウェビナー" (global filter)`},
		{"feed exclude adds to global", &Rules{Exclude: []string{"PR"}}, []string{"[PR] CVE scanner"}, false, `excluded by "PR" (feed filter)`},
		{"feed include replaces global", &Rules{Include: []string{"patch"}}, []string{"CVE-2024-1 fixed"}, false, `no include keyword matched (feed filter)`},
		{"latin keyword needs word start", nil, []string{"Open source release"}, false, `no include keyword matched (global filter)`},
		{"latin keyword at word start matches prefix", &Rules{Include: []string{"patch"}}, []string{"Microsoft patches 60 flaws"}, true, `matched "patch" (feed filter)`},
		{"latin keyword after Japanese", nil, []string{"緊急RCE"}, true, `matched "RCE" (global filter)`},
		{"summary counts", nil, []string{"お知らせ", "マルウェア感染の報告"}, true, `matched "マルウェア" (global filter)`},
		{"nothing matches", nil, []string{"社内イベントのお知らせ"}, false, `no include keyword matched (global filter)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New(global, tt.feed).Decide(tt.texts...)
			if d.Accepted != tt.accepted || d.Reason != tt.reason {
				t.Errorf("Decide(%q) = %v %q, want %v %q", tt.texts, d.Accepted, d.Reason, tt.accepted, tt.reason)
			}
		})
	}
}

func TestDecideWithoutIncludeAcceptsAll(t *testing.T) {
	d := New(Rules{Exclude: []string{"求人"}}, nil).Decide("JPCERT/CC 注意喚起")
	if !d.Accepted {
		t.Fatalf("Decide = %+v, want accepted", d)
	}
}

func FuzzContains(f *testing.F) {
	f.Add("ルータの脆弱性", "脆弱性")
	f.Add("open source", "rce")
	f.Fuzz(func(t *testing.T, text, kw string) {
		got := contains(Normalize(text), Normalize(kw))
		if got && Normalize(kw) == "" {
			t.Fatalf("empty keyword matched %q", text)
		}
	})
}
