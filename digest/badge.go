package digest

import (
	"math"
	"strconv"
	"strings"
)

// severityJA maps CVSS severities to the words JVN iPedia uses.
var severityJA = map[string]string{
	"critical": "緊急",
	"high":     "重要",
	"medium":   "警告",
	"low":      "注意",
}

// severity is what a story's badge is made of.
type severity struct {
	Label string // 緊急, 重要, 警告, 注意 or ""
	Score string // "9.8", or "" when unknown
}

func newSeverity(name string, score float64) severity {
	s := severity{Label: severityJA[strings.ToLower(strings.TrimSpace(name))]}
	if score > 0 && score <= 10 && !math.IsNaN(score) {
		s.Score = strconv.FormatFloat(score, 'f', 1, 64)
	}
	return s
}

// Badge renders "[緊急 CVSS 9.8]", "[緊急]", "[CVSS 9.8]" or "".
func (s severity) Badge() string {
	parts := make([]string, 0, 2)
	if s.Label != "" {
		parts = append(parts, s.Label)
	}
	if s.Score != "" {
		parts = append(parts, "CVSS "+s.Score)
	}
	if len(parts) == 0 {
		return ""
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// exploitedBadge marks a story known to be exploited: "[悪用確認]".
func exploitedBadge(exploited bool) string {
	if exploited {
		return "[悪用確認]"
	}
	return ""
}
