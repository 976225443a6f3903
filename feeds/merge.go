package feeds

import (
	"crypto/sha256"
	"encoding/hex"
)

// itemKey picks the most stable identity an item has. RSS 1.0 items have no
// GUID (gofeed does not expose rdf:about), so JVN ids and links matter.
func itemKey(it Item) string {
	switch {
	case it.Identifier != "":
		return it.Identifier
	case it.GUID != "":
		return it.GUID
	case it.Link != "":
		return it.Link
	}
	sum := sha256.Sum256([]byte(it.Title + "\n" + it.Summary))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// mergeDuplicates keeps the first item of each Key in document order and
// fills its gaps from later copies (the IPA feed lists some items twice).
func mergeDuplicates(items []Item) []Item {
	out := make([]Item, 0, len(items))
	index := make(map[string]int, len(items))
	for _, it := range items {
		if i, ok := index[it.Key]; ok {
			mergeInto(&out[i], it)
			continue
		}
		index[it.Key] = len(out)
		out = append(out, it)
	}
	return out
}

func mergeInto(dst *Item, src Item) {
	fill := func(d *string, s string) {
		if *d == "" {
			*d = s
		}
	}
	fill(&dst.GUID, src.GUID)
	fill(&dst.Link, src.Link)
	fill(&dst.Title, src.Title)
	fill(&dst.Summary, src.Summary)
	fill(&dst.Identifier, src.Identifier)
	if dst.Published.IsZero() {
		dst.Published = src.Published
	}
	if dst.Updated.IsZero() {
		dst.Updated = src.Updated
	}
	if dst.CVSS == nil {
		dst.CVSS = src.CVSS
	}
	dst.Categories = appendUnique(dst.Categories, src.Categories...)
	dst.CVEs = appendUnique(dst.CVEs, src.CVEs...)
	dst.CWEs = appendUnique(dst.CWEs, src.CWEs...)
}
