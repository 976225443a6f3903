package feeds

import (
	"bytes"
	"fmt"
)

// Structure limits, checked by a scan of the document before the parser
// sees it. gofeed keeps every item as structs and every element outside the
// feed's own namespace as a tree of maps, 0.3 to 2 KB per node, so a 10 MiB
// body of tiny elements took about 1 GB to parse; a single 10 MiB text took
// 100 to 170 MB. The captured real feeds have depth 4, one node per 60 to
// 1,500 bytes (so 64,000 nodes hold 3.8 MiB of the densest, JVN-like, and
// 10 MiB of news feeds), at most 12 attributes on an element and texts of
// at most 27 KB.
const (
	// MaxDepth is the deepest element (or JSON object/array) nesting.
	MaxDepth = 64
	// MaxNodes bounds the markup nodes of a document: elements, comments,
	// CDATA sections, processing instructions and declarations; in JSON,
	// objects, arrays and the commas between values.
	MaxNodes = 64_000
	// MaxAttrs bounds the attributes of all elements together.
	MaxAttrs = 64_000
	// MaxElementAttrs bounds the attributes of one element.
	MaxElementAttrs = 256
	// MaxText bounds one run of text or CDATA section, or one JSON string.
	MaxText = 1 << 20
	// MaxJoinedText bounds the bytes copied to join text that comments,
	// CDATA sections or child elements split into pieces: gofeed joins an
	// extension element's pieces by repeated concatenation, so the cost
	// grows with the square of their number.
	MaxJoinedText = 64 << 20
)

// limits are the structure limits one scan applies.
type limits struct {
	depth, nodes, attrs, elementAttrs, text int
	joined                                  int64
}

var defaultLimits = limits{MaxDepth, MaxNodes, MaxAttrs, MaxElementAttrs, MaxText, MaxJoinedText}

// structure is what a scan counted.
type structure struct {
	depth, nodes, attrs int
	text                int   // longest text piece or JSON string
	joined              int64 // bytes copied joining text pieces
}

// scan counts the structure of doc (UTF-8, control characters already
// dropped) and fails with ErrTooComplex at the first limit exceeded.
// Documents that gofeed would read as JSON (first character '{') are
// scanned as JSON, the rest as XML.
func scan(doc []byte, lim limits) (structure, error) {
	if firstByte(doc) == '{' {
		return scanJSON(doc, lim)
	}
	return scanXML(doc, lim)
}

// firstByte is the byte gofeed decides the format by: the first that is
// not white space or part of a byte order mark.
func firstByte(doc []byte) byte {
	for _, c := range doc {
		switch c {
		case ' ', '\r', '\n', '\t', 0x00, 0xFE, 0xFF, 0xEF, 0xBB, 0xBF:
		default:
			return c
		}
	}
	return 0
}

// tooComplex reports the limit exceeded at byte off of doc.
func tooComplex(doc []byte, off int, what string, limit any) error {
	line := bytes.Count(doc[:off], []byte("\n")) + 1
	return fmt.Errorf("%w: "+what+" (at line %d, byte %d)", ErrTooComplex, limit, line, off)
}

// scanJSON counts objects, arrays and commas outside strings, and nesting.
func scanJSON(doc []byte, lim limits) (structure, error) {
	var got structure
	depth := 0
	for i := 0; i < len(doc); i++ {
		switch doc[i] {
		case '"':
			end := jsonStringEnd(doc, i+1)
			got.text = max(got.text, end-i-1)
			if got.text > lim.text {
				return got, tooComplex(doc, i, "a string of more than %d bytes", lim.text)
			}
			i = end
		case '{', '[':
			depth++
			if depth > lim.depth {
				return got, tooComplex(doc, i, "objects and arrays nested deeper than %d", lim.depth)
			}
			got.depth = max(got.depth, depth)
			fallthrough
		case ',':
			got.nodes++
			if got.nodes > lim.nodes {
				return got, tooComplex(doc, i, "more than %d objects, arrays and values", lim.nodes)
			}
		case '}', ']':
			depth = max(depth-1, 0)
		}
	}
	return got, nil
}

// jsonStringEnd returns the offset of the quote closing the string whose
// content starts at i, or len(doc).
func jsonStringEnd(doc []byte, i int) int {
	for ; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(doc)
}
