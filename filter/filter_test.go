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
			it := Fields{Title: tt.texts[0]}
			if len(tt.texts) > 1 {
				it.Summary = tt.texts[1]
			}
			d := New(global, tt.feed).Decide(it)
			if d.Accepted != tt.accepted || d.Reason != tt.reason {
				t.Errorf("Decide(%q) = %v %q, want %v %q", tt.texts, d.Accepted, d.Reason, tt.accepted, tt.reason)
			}
		})
	}
}

func TestDecideWithoutIncludeAcceptsAll(t *testing.T) {
	d := New(Rules{Exclude: []string{"求人"}}, nil).Decide(Fields{Title: "JPCERT/CC 注意喚起"})
	if !d.Accepted {
		t.Fatalf("Decide = %+v, want accepted", d)
	}
}

func TestRuleKinds(t *testing.T) {
	item := Fields{Title: "ＣＶＥ－２０２６－１２３４: Apache HTTP Server の脆弱性", Summary: "ｱｯﾌﾟﾃﾞｰﾄ を公開", Categories: []string{"Vulnerability", "告知"}}
	tests := []struct {
		rule string
		want bool
	}{
		{"脆弱性", true},
		{"title:脆弱性", true},
		{"summary:脆弱性", false},
		{"summary:アップデート", true}, // half-width kana in the text
		{"category:vulnerability", true},
		{"categories:告知", true},
		{"title:告知", false},
		{"re:cve-\\d{4}-\\d{4,}", true}, // full-width text, ASCII pattern
		{"title:re:^cve-2026", true},
		{"summary:re:^cve", false},
		{"re:apache\\s+http", true},
		{"http server", true},
		{"ttp", false}, // a Latin keyword must start a word
		{"ＡＰＡＣＨＥ", true},
	}
	for _, tt := range tests {
		if err := ParseRule(tt.rule); err != nil {
			t.Fatalf("ParseRule(%q): %v", tt.rule, err)
		}
		d := New(Rules{Include: []string{tt.rule}}, nil).Decide(item)
		if d.Accepted != tt.want {
			t.Errorf("rule %q accepted = %v (%s), want %v", tt.rule, d.Accepted, d.Reason, tt.want)
		}
	}
	for _, bad := range []string{"re:(", "title:", "re:a[", ""} {
		if ParseRule(bad) == nil {
			t.Errorf("ParseRule(%q) accepted a broken rule", bad)
		}
	}
}

func TestFeedRulesExtendOrReplace(t *testing.T) {
	global := Rules{Include: []string{"脆弱性"}}
	item := Fields{Title: "Patch Tuesday"}
	if d := New(global, &Rules{Include: []string{"patch"}, Extend: true}).Decide(Fields{Title: "ルータの脆弱性"}); !d.Accepted {
		t.Errorf("an extending feed lost the global rules: %+v", d)
	}
	if d := New(global, &Rules{Include: []string{"patch"}, Extend: true}).Decide(item); !d.Accepted {
		t.Errorf("an extending feed's own rule did not apply: %+v", d)
	}
	if d := New(global, &Rules{Include: []string{"patch"}}).Decide(Fields{Title: "ルータの脆弱性"}); d.Accepted {
		t.Errorf("a replacing feed kept the global rules: %+v", d)
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
