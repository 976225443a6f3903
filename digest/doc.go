// Package digest composes #itsec_jp-style posts from feed stories: one post
// per story (layout "each") or a dated digest split into a numbered thread
// (layout "digest"), every post within the target platform's length rule.
//
// # Layouts
//
// Each post of the Each layout is the Each template followed by the
// hashtags:
//
//	【JPCERT/CC】[緊急 CVSS 9.8] タイトル
//	https://example.jp/advisory
//	#itsec_jp #JPCERT
//
// A Digest post is the Header template, one Item template per story and
// the hashtags, one per line. When the stories do not fit in one post they
// continue in replies; every post repeats the header, whose numbering
// ("2/3") is counted against the limit like any other text. Stories are
// never split across posts, so a link or hashtag is never cut. Hashtags
// are always the last line: Options.Hashtags, then the Story.Tags of the
// stories in that post, without case-insensitive duplicates.
//
// A story too long for a post of its own has its title shortened at a
// grapheme boundary (preferring a word boundary close by) and ended with
// "…", keeping at least 10 graphemes and never cutting a link written in
// the title. If even that does not fit, Compose returns a *StoryError.
//
// # Templates
//
// Overrides use text/template (plain text, no escaping) with one extra
// function, join (strings.Join). The Each and Item templates receive an
// ItemData:
//
//	.Number      int        1-based position in the digest (1 in "each")
//	.Source      string     feed name, e.g. "JPCERT/CC"
//	.Title       string     cleaned title, possibly shortened with "…"
//	.URL         string     http(s) link, or "" when dropped
//	.Identifier  string     e.g. "JVNDB-2024-000001", or ""
//	.CVEs        []string   e.g. ["CVE-2024-1234"]
//	.Severity    string     緊急, 重要, 警告, 注意 or ""
//	.Score       string     CVSS score such as "9.8", or ""
//	.Badge       string     "[緊急 CVSS 9.8]", "[緊急]", "[CVSS 9.8]" or ""
//	.Published   time.Time  in Options.Location; zero when unknown
//
// The Header template receives a HeaderData:
//
//	.Slot        time.Time  Options.Slot in Options.Location
//	.Date        string     "2026/10/08"
//	.Weekday     string     "木"
//	.Time        string     "09:00"
//	.Count       int        stories in the whole digest
//	.Part        int        this post's number, from 1
//	.Parts       int        posts in the thread
//	.Numbering   string     "2/3", or "" when the digest is one post
//
// Template output is trimmed of surrounding white space. ParseTemplates
// rejects templates that fail on a sample story, an Each or Item template
// that does not show .Title, and a Header that does not show the numbering.
// TEMPLATES.md has the built-in templates and examples.
//
// CVSS severities are shown the way JVN iPedia words them: Critical 緊急,
// High 重要, Medium 警告, Low 注意; None or unknown shows no word, only
// the score when there is one.
//
// # Safety
//
// Feed text (Source, Title, Identifier, CVEs) cannot mention or tag anyone.
// Control characters, bidi embeddings, overrides, isolates and marks,
// the BOM and noncharacters are removed, white space is collapsed, and
// text is NFC-normalised. Only http and https URLs with a host and no user
// information are kept; any other link is dropped and the story is posted
// without it. Web addresses written in feed text are defanged the way
// security feeds write them ("hxxps://evil[.]example/phish",
// "evil[.]example"), so that the story's own link is the only live one;
// versions ("2.4.58") and common file names ("setup.exe") stay as they are.
// Only Options.Hashtags and Story.Tags, which come from config, are live
// hashtags.
//
// A '@' or '＠' is followed by U+200B ZERO WIDTH SPACE. A '#' or '＃' becomes
// '＃' followed by U+200B, unless Options.AllowFeedHashtags is set. A sigil
// right after an ASCII letter or digit ("C#", "user@example.com",
// "JVN#84622767") starts nothing on any platform and is left alone. Each
// choice was checked against the platforms' extraction code:
//
//   - Mastodon: Account::MENTION_RE needs [a-z0-9_] after '@'; Tag::HASHTAG_RE
//     (4.3+ also accepts '＃') needs a [[:word:]] character after the sigil.
//     U+200B (format, not word or space) stops both.
//   - X (twitter-text): '@'/'＠' need [a-zA-Z0-9_] next; '#'/'＃' need letters,
//     marks, digits or a few specials, which include U+200C and U+200D but
//     not U+200B.
//   - Bluesky (@atproto/api rich text): mentions need [a-zA-Z0-9.-] after
//     '@'; TAG_REGEX excludes U+200B from tags, so '＃'+U+200B yields none.
//   - Misskey (mfm.js): mentions need [a-z0-9_-] after '@', but a hashtag
//     is '#' followed by anything except white space and some punctuation,
//     so '#'+U+200B would still be a tag. mfm.js only knows the ASCII '#',
//     hence the full-width '＃'.
//
// The package tests hold regular-expression renderings of these grammars
// and check composed posts against all four.
//
// # Purity
//
// Compose reads no clock and no randomness: the slot time, location and
// templates come from Options, and the same input always gives the same
// posts. Asia/Tokyo is loaded from the embedded time zone database.
package digest
