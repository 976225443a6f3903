package fake

import (
	"net/http"
	"slices"
	"testing"
)

func TestQueueTakesTheOldest(t *testing.T) {
	var q Queue[int]
	q.Add(1)
	q.Add(2)
	var got []int
	for {
		f, ok := q.Next()
		if !ok {
			break
		}
		got = append(got, f)
	}
	if !slices.Equal(got, []int{1, 2}) {
		t.Errorf("faults taken %v, want [1 2]", got)
	}
}

func TestLog(t *testing.T) {
	type attempt struct{ status int }
	var l Log[attempt]
	l.Add(attempt{})
	i := l.Add(attempt{})
	l.Update(i, func(a *attempt) { a.status = 429 })
	all := l.All()
	all[0].status = 1 // a copy: the log keeps its own
	if got := l.All(); i != 1 || !slices.Equal(got, []attempt{{0}, {429}}) {
		t.Errorf("log %v (index %d), want [{0} {429}] (index 1)", got, i)
	}
}

func TestBearer(t *testing.T) {
	var b Bearer
	b.Set("old")
	b.Set("new")
	tests := []struct {
		auth           string
		wantSent, want bool
	}{
		{"", false, false},
		{"Bearer old", true, false},
		{"Bearer new", true, true},
		{"new", true, false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, "http://fake.test/", nil)
		if tt.auth != "" {
			r.Header.Set("Authorization", tt.auth)
		}
		if sent, ok := b.Check(r); sent != tt.wantSent || ok != tt.want {
			t.Errorf("Check(%q) = %v, %v; want %v, %v", tt.auth, sent, ok, tt.wantSent, tt.want)
		}
	}
}

// A hung handler returns when its test ends, so that the server can close.
func TestStartReleasesHungHandlers(t *testing.T) {
	entered, returned := make(chan struct{}), make(chan struct{})
	answered := make(chan error, 1)
	t.Run("server", func(t *testing.T) {
		var done <-chan struct{}
		url, d := Start(t, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			defer close(returned)
			close(entered)
			Hang(r, done)
		}))
		done = d
		go func() {
			resp, err := http.Get(url)
			if err == nil {
				resp.Body.Close()
			}
			answered <- err
		}()
		<-entered
	})
	select {
	case <-returned:
	default:
		t.Error("the hung handler still runs after its test ended")
	}
	<-answered
}

func TestDropGivesNoAnswer(t *testing.T) {
	url, _ := Start(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { Drop(w) }))
	if resp, err := http.Get(url); err == nil {
		resp.Body.Close()
		t.Errorf("answered %d, want a dropped connection", resp.StatusCode)
	}
}
