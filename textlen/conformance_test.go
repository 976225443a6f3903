package textlen

import (
	"os"
	"testing"

	"github.com/goccy/go-yaml"
)

// weightedCase is one case of the weighted-length sections of twitter-text's
// conformance file.
type weightedCase struct {
	Description string `yaml:"description"`
	Text        string `yaml:"text"`
	Expected    struct {
		WeightedLength int  `yaml:"weightedLength"`
		Valid          bool `yaml:"valid"`
	} `yaml:"expected"`
}

type conformanceFile struct {
	Tests struct {
		V2          []weightedCase `yaml:"WeightedTweetsCounterTest"`
		V3          []weightedCase `yaml:"WeightedTweetsWithDiscountedEmojiCounterTest"`
		Directional []weightedCase `yaml:"UnicodeDirectionalMarkerCounterTest"`
	} `yaml:"tests"`
}

func loadConformance(t *testing.T) conformanceFile {
	t.Helper()
	data, err := os.ReadFile("testdata/twitter-text/validate.yml")
	if err != nil {
		t.Fatal(err)
	}
	var f conformanceFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("parse validate.yml: %v", err)
	}
	return f
}

func TestTwitterConformance(t *testing.T) {
	f := loadConformance(t)
	sections := []struct {
		name  string
		emoji bool
		cases []weightedCase
		want  int
	}{
		{"WeightedTweetsCounterTest", false, f.Tests.V2, 20},
		{"WeightedTweetsWithDiscountedEmojiCounterTest", true, f.Tests.V3, 22},
		{"UnicodeDirectionalMarkerCounterTest", true, f.Tests.Directional, 2},
	}
	for _, s := range sections {
		if len(s.cases) != s.want {
			t.Errorf("%s: loaded %d cases, want %d", s.name, len(s.cases), s.want)
		}
		for _, c := range s.cases {
			t.Run(s.name+"/"+c.Description, func(t *testing.T) {
				weighted, forbidden := parseTweet(c.Text, s.emoji)
				if weighted != c.Expected.WeightedLength {
					t.Errorf("weighted length = %d, want %d", weighted, c.Expected.WeightedLength)
				}
				valid := !forbidden && weighted > 0 && weighted <= xMaxWeighted
				if valid != c.Expected.Valid {
					t.Errorf("valid = %v, want %v", valid, c.Expected.Valid)
				}
			})
		}
	}
}
