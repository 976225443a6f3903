package textlen

import (
	"encoding/json"
	"os"
	"testing"
	"unicode/utf8"
)

func TestOracleTmp(t *testing.T) {
	data, err := os.ReadFile("/tmp/textlen_js/corpus.json")
	if err != nil {
		t.Skip(err)
	}
	var rows [][]any
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	bad := map[string]int{}
	shown := 0
	for _, r := range rows {
		s := r[0].(string)
		if !utf8.ValidString(s) {
			continue
		}
		v3, v2 := int(r[1].(float64)), int(r[2].(float64))
		w3, f := parseTweet(s, true)
		w2, _ := parseTweet(s, false)
		valid := !f && w3 > 0 && w3 <= 280
		if w3 != v3 {
			bad["v3"]++
		}
		if w2 != v2 {
			bad["v2"]++
		}
		if valid != r[3].(bool) {
			bad["valid"]++
		}
		if (w3 != v3 || w2 != v2) && shown < 25 {
			shown++
			t.Logf("%q: v3 got %d want %d, v2 got %d want %d; js urls %q, go urls %q", s, w3, v3, w2, v2, r[4], urlTexts(xURLs, toNFC(s)))
		}
	}
	t.Logf("rows %d, mismatches %v", len(rows), bad)
}
