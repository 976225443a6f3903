package mastodontest

import (
	"html"
	"strconv"
	"strings"
	"time"
)

// firstID resembles Mastodon's snowflake IDs, which are large numbers sent
// as strings.
const firstID int64 = 112345678900000001

// epoch makes created_at deterministic.
var epoch = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

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
	seq, _ := strconv.ParseInt(st.ID, 10, 64)
	out := statusJSON{
		ID:               st.ID,
		CreatedAt:        epoch.Add(time.Duration(seq-firstID) * time.Second).Format("2006-01-02T15:04:05.000Z"),
		Sensitive:        st.SpoilerText != "",
		SpoilerText:      st.SpoilerText,
		Visibility:       st.Visibility,
		Language:         st.Language,
		URI:              s.URL + "/users/bot/statuses/" + st.ID,
		URL:              s.URL + "/@bot/" + st.ID,
		Content:          contentHTML(st.Text),
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

// contentHTML renders text the way Mastodon's plain-text formatter does,
// minus linkification.
func contentHTML(text string) string {
	escaped := html.EscapeString(text)
	return "<p>" + strings.ReplaceAll(escaped, "\n", "<br />") + "</p>"
}
