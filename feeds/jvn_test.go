package feeds

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

type jvnWant struct {
	key    string
	cves   []string
	cwes   []string
	cvss   *CVSS
	pubUTC string
}

func v3(score float64, sev, vec string) *CVSS {
	return &CVSS{Version: "3.0", Score: score, Severity: sev, Vector: "CVSS:3.0/" + vec}
}

func TestParseJVNiPediaFixtures(t *testing.T) {
	tests := map[string][]jvnWant{
		// namespace http://jvn.jp/rss/mod_sec/, v2 and v3 scores per item.
		"jvndb-new-rss10.rdf": {
			{"JVNDB-2021-010120", []string{"CVE-2021-34066"}, []string{"CWE-502"}, v3(9.8, "Critical", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), "2022-06-21T02:52:00Z"},
			{"JVNDB-2021-010119", []string{"CVE-2021-36981"}, []string{"CWE-502"}, v3(8.8, "High", "AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), "2022-06-21T02:44:00Z"},
			{"JVNDB-2021-010118", []string{"CVE-2021-36692"}, []string{"CWE-369"}, v3(6.5, "Medium", "AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H"), "2022-06-21T02:44:00Z"},
			{"JVNDB-2021-010117", []string{"CVE-2020-22848"}, []string{"CWE-noinfo"}, v3(9.8, "Critical", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), "2022-06-21T02:44:00Z"},
			// The "関連文書" reference with id CVE-2021-35061.md is a link, not a second CVE.
			{"JVNDB-2021-010116", []string{"CVE-2021-35061"}, []string{"CWE-79"}, v3(6.1, "Medium", "AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), "2022-06-21T02:44:00Z"},
			{"JVNDB-2021-010115", []string{"CVE-2021-29907"}, []string{"CWE-434"}, v3(8.8, "High", "AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), "2022-06-21T02:09:00Z"},
		},
		// namespace http://jvn.jp/rss/mod_sec/3.0/; the second item has no sec:cvss.
		"myjvn-getVulnOverviewList-2025.xml": {
			{"JVNDB-2025-002953", []string{"CVE-2025-31084"}, []string{"CWE-502"}, v3(9.8, "Critical", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), "2025-04-04T05:45:58Z"},
			{"JVNDB-2025-002884", []string{"CVE-2025-23120"}, []string{"CWE-502"}, nil, "2025-04-03T03:27:09Z"},
		},
	}
	for file, want := range tests {
		t.Run(file, func(t *testing.T) {
			feed := parseFixture(t, file)
			if len(feed.Items) != len(want) {
				t.Fatalf("got %d items, want %d", len(feed.Items), len(want))
			}
			for i, w := range want {
				checkJVNItem(t, feed.Items[i], w)
			}
		})
	}
}

func checkJVNItem(t *testing.T, it Item, w jvnWant) {
	t.Helper()
	if it.Key != w.key || it.Identifier != w.key {
		t.Errorf("key, identifier = %q, %q; want %q", it.Key, it.Identifier, w.key)
	}
	if !slices.Equal(it.CVEs, w.cves) || !slices.Equal(it.CWEs, w.cwes) {
		t.Errorf("%s: CVEs, CWEs = %q, %q; want %q, %q", w.key, it.CVEs, it.CWEs, w.cves, w.cwes)
	}
	if fmt.Sprint(it.CVSS) != fmt.Sprint(w.cvss) {
		t.Errorf("%s: CVSS = %+v, want %+v", w.key, it.CVSS, w.cvss)
	}
	if !it.Published.Equal(utc(w.pubUTC)) {
		t.Errorf("%s: published = %v, want %s", w.key, it.Published, w.pubUTC)
	}
}

func TestParseJVNFixtureIdentifiers(t *testing.T) {
	feed := parseFixture(t, "jvn-rss10.rdf")
	want := []string{
		"JVNVU#91137775", "JVN#91153973", "JVNVU#98062224", "JVNVU#94062711", "JVN#13510969",
		"JVN#53292492", "JVN#24352487", "JVNVU#94648869", "JVNVU#91842649", "JVNVU#92911062",
		"JVNVU#93468181", "JVNVU#90160989", "JVNVU#93754811", "JVNVU#96968110", "JVN#22475874",
		"JVNVU#99151548", "JVNVU#97027767", "JVNVU#94863997", "JVNVU#97703430", "JVNVU#96520526",
	}
	var keys, ids []string
	for _, it := range feed.Items {
		keys = append(keys, it.Key)
		ids = append(ids, it.Identifier)
		if it.CVSS != nil || len(it.CVEs) != 0 {
			t.Errorf("%s: jvn.rdf has no sec: fields, got CVSS %+v CVEs %q", it.Key, it.CVSS, it.CVEs)
		}
	}
	if !slices.Equal(keys, want) || !slices.Equal(ids, want) {
		t.Errorf("keys = %q\nids = %q\nwant %q", keys, ids, want)
	}
}

// secDoc is an RSS 1.0 document whose sec namespace declaration is given.
func secDoc(rootNS, itemAttrs, secElems string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" ` + rootNS + `>
<channel rdf:about="https://example.jp/"><title>t</title><link>https://example.jp/</link></channel>
<item rdf:about="https://example.jp/1" ` + itemAttrs + `><title>x</title><link>https://example.jp/1</link>` + secElems + `</item>
</rdf:RDF>`)
}

func TestParseSecNamespaceByURI(t *testing.T) {
	const fields = `<%[1]sidentifier>JVNDB-2024-000001</%[1]sidentifier>
<%[1]sreferences source="NVD" id="cve-2024-1234">https://nvd.nist.gov/</%[1]sreferences>
<%[1]sreferences id="CWE-79" title="XSS">https://cwe.mitre.org/</%[1]sreferences>
<%[1]scvss score="7.5" severity="High" vector="AV:N/AC:L/Au:N/C:P/I:P/A:P" version="2.0" type="Base"/>
<%[1]scvss score="9.8" severity="Critical" vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" type="Base"/>
<%[1]scvss score="9.0" severity="Critical" vector="CVSS:3.1/AV:N" version="3.1" type="Temporal"/>`
	tests := []struct {
		name, rootNS, itemAttrs, prefix string
		wantID                          string
	}{
		{"sec prefix, 3.0 with hash", `xmlns:sec="http://jvn.jp/rss/mod_sec/3.0#"`, "", "sec:", "JVNDB-2024-000001"},
		{"other prefix", `xmlns:vuln="http://jvn.jp/rss/mod_sec/"`, "", "vuln:", "JVNDB-2024-000001"},
		{"prefix declared on item", "", `xmlns:v="http://jvn.jp/rss/mod_sec/3.0/"`, "v:", "JVNDB-2024-000001"},
		{"https and no trailing slash", `xmlns:s="https://jvn.jp/rss/mod_sec"`, "", "s:", "JVNDB-2024-000001"},
		{"sec prefix bound to another URI is ignored", `xmlns:sec="http://example.com/sec/"`, "", "sec:", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := secDoc(tt.rootNS, tt.itemAttrs, fmt.Sprintf(fields, tt.prefix))
			feed, err := Parse(doc, ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			it := feed.Items[0]
			if it.Identifier != tt.wantID {
				t.Fatalf("identifier = %q, want %q", it.Identifier, tt.wantID)
			}
			if tt.wantID == "" {
				if it.CVSS != nil || it.CWEs != nil || it.Key != "https://example.jp/1" {
					t.Errorf("foreign namespace read as sec: key %q CVSS %+v CWEs %q", it.Key, it.CVSS, it.CWEs)
				}
				return
			}
			wantCVSS := &CVSS{Version: "3.1", Score: 9.8, Severity: "Critical", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
			if !slices.Equal(it.CVEs, []string{"CVE-2024-1234"}) || !slices.Equal(it.CWEs, []string{"CWE-79"}) ||
				fmt.Sprint(it.CVSS) != fmt.Sprint(wantCVSS) {
				t.Errorf("CVEs %q CWEs %q CVSS %+v; want [CVE-2024-1234] [CWE-79] %+v", it.CVEs, it.CWEs, it.CVSS, wantCVSS)
			}
		})
	}
}

func TestParseCVSSChoice(t *testing.T) {
	tests := []struct {
		name, elems string
		want        *CVSS
	}{
		{"v2 only", `<sec:cvss score="5.0" severity="Medium" vector="AV:N/AC:L/Au:N/C:N/I:N/A:P" version="2.0"/>`,
			&CVSS{"2.0", 5.0, "Medium", "AV:N/AC:L/Au:N/C:N/I:N/A:P"}},
		{"v3 before v2", `<sec:cvss score="7.5" severity="High" vector="CVSS:3.0/AV:N" version="3.0"/><sec:cvss score="5.0" severity="Medium" vector="AV:N" version="2.0"/>`,
			&CVSS{"3.0", 7.5, "High", "CVSS:3.0/AV:N"}},
		{"bad score skipped", `<sec:cvss score="n/a" severity="High" version="3.0"/><sec:cvss score="5.0" severity="Medium" version="2.0"/>`,
			&CVSS{"2.0", 5.0, "Medium", ""}},
		{"none", ``, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed, err := Parse(secDoc(`xmlns:sec="http://jvn.jp/rss/mod_sec/"`, "", tt.elems), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := feed.Items[0].CVSS; fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("CVSS = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCVEsFromText(t *testing.T) {
	got := cvesIn("BIND 9の脆弱性（CVE-2025-13878）, cve-2024-0001 and ＣＶＥ－２０２４－１２３４５, CVE-2025-13878 again, CVE-99-1")
	want := []string{"CVE-2024-0001", "CVE-2024-12345", "CVE-2025-13878"} // sorted
	if !slices.Equal(got, want) {
		t.Errorf("cvesIn = %q, want %q", got, want)
	}
}

// TestManyCVEsStayLinear: the CVE ids named in a summary (and an item's
// categories) are cut at maxListLen, so that deduplicating them stays
// linear: uncut, a summary naming 40,000 ids took 3.4 s.
func TestManyCVEsStayLinear(t *testing.T) {
	var cves, cats strings.Builder
	for i := range 2 * maxListLen {
		fmt.Fprintf(&cves, "CVE-2024-%d ", 100000+i)
		fmt.Fprintf(&cats, "<category>c%d</category>", i)
	}
	feed, err := Parse(rssItem("<description>"+cves.String()+"</description>"+cats.String()), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	it := feed.Items[0]
	if len(it.CVEs) != maxListLen || it.CVEs[0] != "CVE-2024-100000" || len(it.Categories) != maxListLen || it.Categories[0] != "c0" {
		t.Errorf("got %d CVEs (first %q) and %d categories, want the first %d of each", len(it.CVEs), it.CVEs[0], len(it.Categories), maxListLen)
	}
}
