package config

import (
	"testing"
)

// TestProductionConfig checks the shipped config.yaml: it must load without
// credentials and keep the feeds the bot exists for.
func TestProductionConfig(t *testing.T) {
	c, err := Load("../config.yaml", env(nil), testPlatforms())
	if err != nil {
		t.Fatalf("config.yaml: %v", err)
	}
	urls := map[string]bool{}
	for _, f := range c.Feeds {
		urls[f.URL] = true
	}
	for _, want := range []string{
		"https://www.jpcert.or.jp/rss/jpcert.rdf",
		"https://www.ipa.go.jp/security/alert-rss.rdf",
		"https://jvn.jp/rss/jvn.rdf",
		"https://jvndb.jvn.jp/ja/rss/jvndb_new.rdf",
	} {
		if !urls[want] {
			t.Errorf("config.yaml lacks %s", want)
		}
	}
	if len(c.Digest.Hashtags) == 0 || c.Digest.Hashtags[0] != "#itsec_jp" {
		t.Errorf("config.yaml hashtags = %v, want #itsec_jp first", c.Digest.Hashtags)
	}
	if len(c.Posters) != 1 || c.Posters[0].Type != "mastodon" || c.Posters[0].Missing() == "" {
		t.Errorf("config.yaml posters = %+v, want one Mastodon poster reported as lacking credentials here", c.Posters)
	}
}

func TestDemoConfig(t *testing.T) {
	if _, err := Load("../examples/demo.yaml", env(nil), testPlatforms()); err != nil {
		t.Fatalf("examples/demo.yaml: %v", err)
	}
}

func TestProductionConfigHasTheKEVSignal(t *testing.T) {
	c, err := Load("../config.yaml", env(nil), testPlatforms())
	if err != nil {
		t.Fatal(err)
	}
	kinds, trusted := map[string]int{}, 0
	for _, f := range c.Feeds {
		kinds[f.Kind]++
		if f.Trusted {
			trusted++
		}
	}
	if kinds["kev"] != 1 || trusted < 3 || kinds[""] < 12 {
		t.Errorf("config.yaml: %d KEV feeds, %d trusted, %d story feeds", kinds["kev"], trusted, kinds[""])
	}
}
