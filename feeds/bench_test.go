package feeds

import "testing"

// BenchmarkParse measures decode + parse + normalise over the largest fixtures
// and a JVN iPedia feed (sec: extraction).
func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"krebs-rss2.xml", "schneier-atom.xml", "cisa-advisories-rss2.xml", "jvndb-new-rss10.rdf"} {
		body := readFixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(body, ParseOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
