// Package textlen measures post text the way each platform does, so a
// composer can tell before sending whether a post will be accepted.
//
// Each platform counts differently: Mastodon counts grapheme clusters with
// every http(s) URL as 23 and remote mentions shortened to @user; X weighs
// code points with twitter-text (CJK counts 2, every URL 23); Bluesky counts
// graphemes and UTF-8 bytes; Misskey counts code points. A [Rule] hides
// these differences behind Length, Limit and Fits. The package also finds
// the link and hashtag facets a Bluesky post needs.
package textlen
