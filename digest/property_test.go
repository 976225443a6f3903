package digest

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// Pieces for random titles: Japanese (kanji, kana, half-width kana,
// full-width Latin), English, emoji sequences, sigils, links and noise.
var titlePieces = []string{
	"脆弱性", "における", "OSコマンドインジェクション", "の", "注意喚起", "アップデート", "（2026年10月08日）",
	"ﾙｰﾀ", "ｶﾞｲﾄﾞ", "ＸＸＸ製", "複数製品", "「FileZen」", "、", "。",
	"Apache", "HTTP Server", "remote code execution", "in", "PolinRider", "Campaign", "Flaws",
	"👨‍👩‍👧‍👦", "🇯🇵", "👍🏽", "⚠️", "🔥", "é\u0301", "ก์",
	"@user", "@user@host.example", "＠admin", "#tag", "＃タグ", "C#", "JVN#84622767", "a@b.example",
	"https://example.com/a/b?c=1", "http://ex.jp/x",
	"\u202e", "\u2066", "\x07", "\n", "\t", "\u200b", "\ufeff", "\u3000",
}

var (
	sources    = []string{"JPCERT/CC", "IPA", "JVN iPedia", "The Hacker News", "CISA", ""}
	severities = []string{"Critical", "High", "Medium", "Low", "None", ""}
	storyTags  = [][]string{nil, {"#JVN"}, {"#IPA"}, {"#JPCERT", "#注意喚起"}, {"#itsec_jp"}}
)

func randomTitle(r *rand.Rand) string {
	n := 1 + r.IntN(25)
	switch r.IntN(20) {
	case 0:
		n = 300 + r.IntN(900) // longer than any post, even on Misskey
	case 1:
		n = 0
	}
	var b strings.Builder
	for range n {
		b.WriteString(titlePieces[r.IntN(len(titlePieces))])
		if r.IntN(3) == 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func randomURL(r *rand.Rand) string {
	switch r.IntN(12) {
	case 0:
		return ""
	case 1:
		return "javascript:alert(1)"
	}
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789-/"
	path := make([]byte, r.IntN(90))
	for i := range path {
		path[i] = chars[r.IntN(len(chars))]
	}
	return fmt.Sprintf("https://h%d.example.jp/%s", r.IntN(1000), path)
}

func randomStories(r *rand.Rand) []Story {
	stories := make([]Story, 1+r.IntN(30))
	for i := range stories {
		stories[i] = Story{
			ID: int64(i + 1), Source: sources[r.IntN(len(sources))], Title: randomTitle(r), URL: randomURL(r),
			Tags: storyTags[r.IntN(len(storyTags))], CVSSSeverity: severities[r.IntN(len(severities))],
		}
		if r.IntN(2) == 0 {
			stories[i].CVSSScore = float64(r.IntN(101)) / 10
		}
	}
	return stories
}

// composeCases bounds TestComposeProperties: each case is a composition
// checked against four platforms' grammars, 30 ms under -race.
var composeCases = flag.Int("compose-cases", 25, "random compositions per platform and layout TestComposeProperties checks (more for a long run, e.g. 1000)")

// TestComposeProperties composes random stories for each platform and
// layout (fixed seeds) and checks every post against the platform's rule,
// that each story is in exactly one post with its link and its title
// whole or cut at a grapheme boundary, and that only configured hashtags
// and no mentions survive each platform's extraction grammar.
func TestComposeProperties(t *testing.T) {
	cases := *composeCases
	if testing.Short() {
		cases = min(cases, 20)
	}
	for pi, pf := range platforms() {
		for li, layout := range []Layout{Each, Digest} {
			t.Run(pf.name+"-"+string(layout), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(pi), uint64(li)))
				for c := range cases {
					stories := randomStories(r)
					opts := Options{Layout: layout, Hashtags: []string{"#itsec_jp"}, Slot: slot}
					threads, err := Compose(stories, pf.rule, opts)
					if err != nil {
						t.Fatalf("case %d: Compose: %v", c, err)
					}
					checkThreads(t, pf, stories, threads, layout)
					if t.Failed() {
						t.Fatalf("case %d failed; stories %#v", c, stories)
					}
				}
			})
		}
	}
}

func checkThreads(t *testing.T, pf platform, stories []Story, threads []Thread, layout Layout) {
	t.Helper()
	byID := make(map[int64]Story, len(stories))
	for _, s := range stories {
		byID[s.ID] = s
	}
	seen := map[int64]int{}
	if layout == Each && len(threads) != len(stories) {
		t.Errorf("each: %d threads for %d stories", len(threads), len(stories))
	}
	for _, th := range threads {
		for i, p := range th.Posts {
			if !pf.rule.Fits(p.Text) {
				t.Errorf("%s: post of length %d > %d: %q", pf.name, pf.rule.Length(p.Text), pf.rule.Limit(), p.Text)
			}
			checkPostText(t, p.Text)
			if layout == Digest && len(th.Posts) > 1 {
				num := fmt.Sprintf("(%d/%d)", i+1, len(th.Posts))
				if first, _, _ := strings.Cut(p.Text, "\n"); !strings.HasSuffix(first, num) {
					t.Errorf("post header %q lacks %s", first, num)
				}
			}
			for _, id := range p.Stories {
				seen[id]++
				checkStoryShown(t, p.Text, byID[id], layout)
			}
		}
	}
	for _, s := range stories {
		if seen[s.ID] != 1 {
			t.Errorf("story %d appears in %d posts, want exactly 1", s.ID, seen[s.ID])
		}
	}
}

// checkPostText checks what any post must satisfy: no stray control or
// bidi characters, U+200B only after a sigil, and only the hashtags on the
// last line live under every platform's grammar.
func checkPostText(t *testing.T, text string) {
	t.Helper()
	prev := rune(0)
	for _, r := range text {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) {
			t.Errorf("post has %U: %q", r, text)
		}
		if r == '\u200b' && !strings.ContainsRune("@＠＃", prev) {
			t.Errorf("U+200B after %q, not a sigil: %q", prev, text)
		}
		prev = r
	}
	lines := strings.Split(text, "\n")
	var want []string
	for _, tag := range strings.Fields(lines[len(lines)-1]) {
		want = append(want, strings.TrimPrefix(tag, "#"))
	}
	// Links stay in: ours hold no sigils, and a sigil glued to a link's
	// last character is judged by that character, as the platforms do.
	body := text
	for _, g := range grammars {
		if got := g.mentions(body); len(got) > 0 {
			t.Errorf("%s grammar finds mentions %q in %q", g.name, got, text)
		}
		if got := g.hashtags(body); !slices.Equal(got, want) {
			t.Errorf("%s grammar finds hashtags %q, want only %q, in %q", g.name, got, want, text)
		}
	}
}

// checkStoryShown finds the story's line (default templates) and checks
// its title is whole or a grapheme-aligned prefix followed by "…", and
// that a valid link follows it.
func checkStoryShown(t *testing.T, text string, s Story, layout Layout) {
	t.Helper()
	p, err := (&composer{}).prepare(&s, 0, tokyo)
	if err != nil {
		t.Fatalf("prepare story %d: %v", s.ID, err)
	}
	lead := ""
	if p.item.Source != "" {
		lead = "【" + p.item.Source + "】"
	}
	if p.item.Badge != "" {
		lead += p.item.Badge + " "
	}
	var line, next string
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if layout == Digest {
			l, _ = strings.CutPrefix(l, fmt.Sprint(s.ID, ". ")) // IDs are 1..n, as are numbers
			if l == lines[i] {
				continue
			}
		}
		if rest, ok := strings.CutPrefix(l, lead); ok {
			line = rest
			if i+1 < len(lines) {
				next = lines[i+1]
			}
			break
		}
	}
	if line == "" {
		t.Errorf("story %d: no line starting %q in %q", s.ID, lead, text)
		return
	}
	if !titleShown(p.item.Title, line) {
		t.Errorf("story %d: shown title %q is not %q or a grapheme-aligned cut of it", s.ID, line, p.item.Title)
	}
	if url := cleanURL(s.URL); url != next && url != "" {
		t.Errorf("story %d: line after title %q, want link %q", s.ID, next, url)
	}
}

func titleShown(title, shown string) bool {
	if shown == title {
		return true
	}
	kept, ok := strings.CutSuffix(shown, ellipsis)
	if !ok {
		return false
	}
	kept = strings.TrimSuffix(kept, " ")
	if !strings.HasPrefix(title, kept) || uniseg.GraphemeClusterCount(kept) < minTitleGraphemes {
		return false
	}
	for at, state, rest := 0, -1, title; rest != ""; {
		var c string
		c, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		at += len(c)
		if at == len(kept) {
			return utf8.ValidString(kept)
		}
	}
	return false
}
