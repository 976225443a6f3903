package mastodontest

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// firstID resembles Mastodon's snowflake IDs, which are large numbers sent
// as strings.
const firstID int64 = 112345678900000001

type accountJSON struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	Acct        string `json:"acct"`
	DisplayName string `json:"display_name"`
	Bot         bool   `json:"bot"`
	CreatedAt   string `json:"created_at"`
	URL         string `json:"url"`
	URI         string `json:"uri"`
}

type statusJSON struct {
	ID                 string      `json:"id"`
	CreatedAt          string      `json:"created_at"`
	InReplyToID        *string     `json:"in_reply_to_id"`
	InReplyToAccountID *string     `json:"in_reply_to_account_id"`
	Sensitive          bool        `json:"sensitive"`
	SpoilerText        string      `json:"spoiler_text"`
	Visibility         string      `json:"visibility"`
	Language           string      `json:"language"`
	URI                string      `json:"uri"`
	URL                string      `json:"url"`
	RepliesCount       int         `json:"replies_count"`
	ReblogsCount       int         `json:"reblogs_count"`
	FavouritesCount    int         `json:"favourites_count"`
	EditedAt           *string     `json:"edited_at"`
	Content            string      `json:"content"`
	Reblog             *statusJSON `json:"reblog"`
	Account            accountJSON `json:"account"`
	MediaAttachments   []any       `json:"media_attachments"`
	Mentions           []any       `json:"mentions"`
	Tags               []any       `json:"tags"`
	Emojis             []any       `json:"emojis"`
	Card               any         `json:"card"`
	Poll               any         `json:"poll"`
}

func (s *Server) statusJSON(st Status) statusJSON {
	out := statusJSON{
		ID:               st.ID,
		CreatedAt:        st.Created.Format("2006-01-02T15:04:05.000Z"),
		Sensitive:        st.SpoilerText != "",
		SpoilerText:      st.SpoilerText,
		Visibility:       st.Visibility,
		Language:         st.Language,
		URI:              s.URL + "/users/bot/statuses/" + st.ID,
		URL:              s.URL + "/@bot/" + st.ID,
		Content:          s.contentHTML(st.Text),
		Account:          s.accountJSON(),
		MediaAttachments: []any{},
		Mentions:         []any{},
		Tags:             []any{},
		Emojis:           []any{},
	}
	if st.InReplyToID != "" {
		reply, account := st.InReplyToID, "1"
		out.InReplyToID, out.InReplyToAccountID = &reply, &account
	}
	return out
}

func (s *Server) accountJSON() accountJSON {
	return accountJSON{
		ID: "1", Username: "bot", Acct: "bot", DisplayName: "itsecbot", Bot: true,
		CreatedAt: "2024-01-01T00:00:00.000Z", URL: s.URL + "/@bot", URI: s.URL + "/users/bot",
	}
}

// contentHTML renders text the way Mastodon's plain-text formatter does:
// paragraphs, line breaks, links split into visible and invisible spans,
// and hashtags turned into tag links.
func (s *Server) contentHTML(text string) string {
	var b strings.Builder
	b.WriteString("<p>")
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<br />")
		}
		b.WriteString(s.linkify(line))
	}
	b.WriteString("</p>")
	return b.String()
}

var tagPattern = regexp.MustCompile(`(^|\s)#([\p{L}\p{N}_]+)`)

func (s *Server) linkify(line string) string {
	var b strings.Builder
	prev := 0
	for _, m := range urlPattern.FindAllStringIndex(line, -1) {
		b.WriteString(s.tagify(html.EscapeString(line[prev:m[0]])))
		u := line[m[0]:m[1]]
		scheme, rest, _ := strings.Cut(u, "://")
		visible, hidden := rest, ""
		if len(rest) > 30 {
			visible, hidden = rest[:30], rest[30:]
		}
		fmt.Fprintf(&b, `<a href="%s" rel="nofollow noopener" target="_blank"><span class="invisible">%s://</span>`+
			`<span class="ellipsis">%s</span><span class="invisible">%s</span></a>`,
			html.EscapeString(u), scheme, html.EscapeString(visible), html.EscapeString(hidden))
		prev = m[1]
	}
	b.WriteString(s.tagify(html.EscapeString(line[prev:])))
	return b.String()
}

func (s *Server) tagify(escaped string) string {
	return tagPattern.ReplaceAllString(escaped,
		`$1<a href="`+s.URL+`/tags/$2" class="mention hashtag" rel="tag">#<span>$2</span></a>`)
}
