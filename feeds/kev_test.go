package feeds

import (
	"errors"
	"os"
	"testing"
)

func TestParseKEV(t *testing.T) {
	body, err := os.ReadFile("../testdata/kev/known_exploited_vulnerabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseKEV(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 14 {
		t.Fatalf("%d entries, want 14", len(got))
	}
	asa := got[1]
	if asa.CVE != "CVE-2025-20333" || asa.Vendor != "Cisco" || asa.Added != "2025-09-25" {
		t.Errorf("entry = %+v", asa)
	}
	for _, bad := range []string{`{"title":"x"}`, `[1,2]`, `not json`} {
		if _, err := ParseKEV([]byte(bad)); err == nil {
			t.Errorf("ParseKEV(%q) accepted it", bad)
		}
	}
	if _, err := ParseKEV([]byte(`{"vulnerabilities":null}`)); !errors.Is(err, ErrNotKEV) {
		t.Errorf("null list: %v", err)
	}
}
