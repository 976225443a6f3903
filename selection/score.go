package selection

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/filter"
)

// Weights turn what a story shows into points. The zero value scores
// everything 0; DefaultWeights are the documented defaults.
type Weights struct {
	Critical  float64 // CVSS v3 ≥ 9.0, JVN severity critical, a JPCERT/CC 注意喚起, an IPA 緊急 notice
	High      float64 // CVSS ≥ 7.0 or severity high
	Medium    float64 // CVSS ≥ 4.0 or severity medium
	Exploited float64 // words saying it is exploited: 悪用, ゼロデイ, 攻撃を確認, actively exploited, in the wild, zero-day
	KEV       float64 // a CVE in CISA's Known Exploited Vulnerabilities catalog
	PerSource float64 // each source beyond the first
	PerDay    float64 // per day since publication (negative: older ranks lower)
	Urgent    float64 // stories scoring at least this go out on their own at once
}

// DefaultWeights make a KEV-listed story urgent on its own, and a
// JPCERT/CC alert about a critical flaw urgent with one more signal.
func DefaultWeights() Weights {
	return Weights{Critical: 3, High: 2, Medium: 1, Exploited: 2, KEV: 6, PerSource: 1, PerDay: -0.5, Urgent: 6}
}

// MaxAgeDays bounds the age penalty: past two weeks a story is old, and
// older still says nothing more (feeds' max_age usually ends it first).
const MaxAgeDays = 14

// Part is one reason for a score.
type Part struct {
	Name   string  // source, severity, exploited, kev, sources, age
	Points float64 // may be negative
	Why    string
}

// Score is a story's score and how it came about.
type Score struct {
	Total float64
	Parts []Part
}

func (s *Score) add(name string, points float64, why string) {
	if points == 0 {
		return
	}
	s.Parts = append(s.Parts, Part{Name: name, Points: points, Why: why})
	s.Total += points
}

// Signals are what the caller knows beyond the items.
type Signals struct {
	// FeedWeight is a feed's configured weight (points added).
	FeedWeight func(feed string) float64
	// KEV holds the CVEs listed in CISA's KEV catalog.
	KEV map[string]bool
}

// Rate scores the story at now and sets its Score and KEV.
func Rate(s *Story, w Weights, sig Signals, now time.Time) {
	var sc Score
	if sig.FeedWeight != nil {
		sc.add("source", sig.FeedWeight(s.Best.Feed), "weight of "+s.Best.Feed)
	}
	if pts, why := severity(s, w); pts != 0 {
		sc.add("severity", pts, why)
	}
	if word := exploitedWord(s); word != "" {
		sc.add("exploited", w.Exploited, fmt.Sprintf("%q in the text", word))
	}
	s.KEV = nil
	for _, c := range s.CVEs {
		if sig.KEV[c] {
			s.KEV = append(s.KEV, c)
		}
	}
	if len(s.KEV) > 0 {
		sc.add("kev", w.KEV, strings.Join(s.KEV, ", ")+" in CISA's KEV catalog")
	}
	if n := len(s.Sources) - 1; n > 0 {
		sc.add("sources", w.PerSource*float64(n), fmt.Sprintf("%d sources", n+1))
	}
	if days := now.Sub(s.Published()).Hours() / 24; days > 0 && w.PerDay != 0 {
		sc.add("age", math.Round(w.PerDay*min(days, MaxAgeDays)*10)/10, fmt.Sprintf("%.1f days old", days))
	}
	sc.Total = math.Round(sc.Total*10) / 10
	s.Score = sc
}

// severity finds the strongest severity signal of the story's items.
func severity(s *Story, w Weights) (float64, string) {
	best, why := 0.0, ""
	consider := func(pts float64, reason string) {
		if pts > best {
			best, why = pts, reason
		}
	}
	for _, it := range s.Items {
		switch {
		case it.CVSSScore >= 9 || strings.EqualFold(it.CVSSSeverity, "critical"):
			consider(w.Critical, fmt.Sprintf("%s: CVSS %.1f %s", it.Feed, it.CVSSScore, it.CVSSSeverity))
		case it.CVSSScore >= 7 || strings.EqualFold(it.CVSSSeverity, "high"):
			consider(w.High, fmt.Sprintf("%s: CVSS %.1f %s", it.Feed, it.CVSSScore, it.CVSSSeverity))
		case it.CVSSScore >= 4 || strings.EqualFold(it.CVSSSeverity, "medium"):
			consider(w.Medium, fmt.Sprintf("%s: CVSS %.1f %s", it.Feed, it.CVSSScore, it.CVSSSeverity))
		}
		title := filter.Normalize(it.Title)
		switch {
		case strings.Contains(title, "注意喚起"):
			consider(w.Critical, it.Feed+": 注意喚起")
		case strings.Contains(title, "緊急"):
			consider(w.Critical, it.Feed+": 緊急")
		}
	}
	return best, why
}

// exploitedPhrases say a flaw is used in attacks, in the forms feeds
// write them (matched after normalisation).
var exploitedPhrases = []string{"悪用", "ゼロデイ", "攻撃を確認", "actively exploited", "exploited in the wild",
	"in the wild", "zero-day", "0-day"}

func exploitedWord(s *Story) string {
	for _, it := range s.Items {
		text := filter.Normalize(it.Title + " " + it.Summary)
		for _, p := range exploitedPhrases {
			if strings.Contains(text, p) {
				return p
			}
		}
	}
	return ""
}

// Rank orders stories by score, then newest first, then by id.
func Rank(stories []*Story) {
	slices.SortStableFunc(stories, func(a, b *Story) int {
		switch {
		case a.Score.Total != b.Score.Total:
			if a.Score.Total > b.Score.Total {
				return -1
			}
			return 1
		case !a.Published().Equal(b.Published()):
			return b.Published().Compare(a.Published())
		}
		return int(a.ID - b.ID)
	})
}
