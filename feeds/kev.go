package feeds

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/itsecbot/itsecbot/refs"
)

// KEV is one entry of CISA's Known Exploited Vulnerabilities catalog.
type KEV struct {
	CVE     string
	Added   string // YYYY-MM-DD
	Vendor  string
	Product string
	Name    string
}

// ErrNotKEV reports a document that is not the KEV catalog.
var ErrNotKEV = errors.New("not CISA's KEV catalog: no vulnerabilities list")

// ParseKEV reads CISA's catalog (known_exploited_vulnerabilities.json).
// Entries without a well-formed CVE id are left out.
func ParseKEV(body []byte) ([]KEV, error) {
	var doc struct {
		Vulnerabilities *[]struct {
			CVEID             string `json:"cveID"`
			VendorProject     string `json:"vendorProject"`
			Product           string `json:"product"`
			VulnerabilityName string `json:"vulnerabilityName"`
			DateAdded         string `json:"dateAdded"`
		} `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("parse KEV catalog: %w", err)
	}
	if doc.Vulnerabilities == nil {
		return nil, ErrNotKEV
	}
	out := make([]KEV, 0, len(*doc.Vulnerabilities))
	for _, v := range *doc.Vulnerabilities {
		cves := refs.CVEs(v.CVEID)
		if len(cves) != 1 {
			continue
		}
		out = append(out, KEV{CVE: cves[0], Added: v.DateAdded, Vendor: v.VendorProject, Product: v.Product, Name: v.VulnerabilityName})
	}
	return out, nil
}
