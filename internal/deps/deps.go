package deps

import (
	_ "github.com/goccy/go-yaml"
	_ "github.com/mattn/go-mastodon"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/rivo/uniseg"
	_ "github.com/robfig/cron/v3"
	_ "golang.org/x/net/html"
	_ "golang.org/x/net/html/charset"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite"
)
