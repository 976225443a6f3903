package poster

import "testing"

func TestMemoryState(t *testing.T) {
	var s MemoryState
	if v, err := s.Load(t.Context(), "session"); v != "" || err != nil {
		t.Fatalf("Load of an unset key = %q, %v", v, err)
	}
	for _, v := range []string{"one", "two"} {
		if err := s.Save(t.Context(), "session", v); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Load(t.Context(), "session"); got != v {
			t.Errorf("Load after Save(%q) = %q", v, got)
		}
	}
}
