package textlen

import "unicode/utf8"

// misskeyDefaultMax is MAX_NOTE_TEXT_LENGTH, a compile-time constant of Misskey.
const misskeyDefaultMax = 3000

type misskeyRule struct{ max int }

// Misskey returns the rule of a Misskey server: code points, checked as a
// JSON-schema maxLength. Pass maxNoteTextLength from /api/meta when the
// server reports it; maxChars <= 0 means 3000.
func Misskey(maxChars int) Rule {
	if maxChars <= 0 {
		maxChars = misskeyDefaultMax
	}
	return misskeyRule{max: maxChars}
}

func (misskeyRule) Platform() string       { return PlatformMisskey }
func (misskeyRule) Length(text string) int { return utf8.RuneCountInString(text) }
func (r misskeyRule) Limit() int           { return r.max }
func (r misskeyRule) Fits(text string) bool {
	return !isBlank(text) && r.Length(text) <= r.max
}
