package misskey

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"slices"
	"testing"
)

var mfmjsTexts = flag.Int("mfmjs.texts", 20000, "random texts TestNeutraliseAgainstMFMJS checks")

// TestNeutraliseAgainstMFMJS parses neutralised texts with mfm.js, the
// parser Misskey renders notes with, and checks that they hold nothing but
// text, emoji and the URLs and hashtags Neutralise meant to keep. It needs
// Node.js and the mfm-js npm package, so it runs only when ITSECBOT_MFMJS
// names the package's ES module:
//
//	npm install --prefix "$tmp" mfm-js
//	ITSECBOT_MFMJS="$tmp/node_modules/mfm-js/built/index.mjs" go test ./poster/misskey -run MFMJS
//
// -mfmjs.texts sets how many random texts it checks besides the table.
func TestNeutraliseAgainstMFMJS(t *testing.T) {
	module := os.Getenv("ITSECBOT_MFMJS")
	if module == "" {
		t.Skip("ITSECBOT_MFMJS is not set")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	var inputs []string
	for _, tt := range neutraliseCases {
		inputs = append(inputs, tt.in)
	}
	inputs = append(inputs, randomMFM(*mfmjsTexts)...)
	outs := make([]*neutraliser, len(inputs))
	texts := make([]string, len(inputs))
	for i, in := range inputs {
		outs[i] = neutralise(in)
		texts[i] = outs[i].b.String()
	}
	results := runMFMJS(t, node, module, texts)
	failed := 0
	for i, r := range results {
		n := outs[i]
		if len(r.Bad) == 0 && slices.Equal(r.URLs, n.urls) && slices.Equal(r.Tags, n.tags) {
			continue
		}
		t.Errorf("input %q\nneutralised %q\nmfm.js found %v, URLs %q, tags %q; kept URLs %q, tags %q",
			inputs[i], texts[i], r.Bad, r.URLs, r.Tags, n.urls, n.tags)
		if failed++; failed == 20 {
			t.Fatal("too many failures")
		}
	}
	t.Logf("%d texts checked with mfm.js", len(results))
}

type mfmResult struct {
	Bad  []string `json:"bad"`
	URLs []string `json:"urls"`
	Tags []string `json:"tags"`
}

func runMFMJS(t *testing.T, node, module string, texts []string) []mfmResult {
	t.Helper()
	in, err := json.Marshal(texts)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, "testdata/mfmcheck.mjs", module)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var results []mfmResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(texts) {
		t.Fatalf("node answered %d results for %d texts: %v", len(results), len(texts), err)
	}
	for i := range results {
		// JSON null and [] are both "none".
		results[i].URLs = slices.Clip(results[i].URLs)
		results[i].Tags = slices.Clip(results[i].Tags)
	}
	return results
}
