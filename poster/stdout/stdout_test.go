package stdout_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/itsecbot/itsecbot/poster"
	"github.com/itsecbot/itsecbot/poster/postertest"
	"github.com/itsecbot/itsecbot/poster/stdout"
	"github.com/itsecbot/itsecbot/textlen"
)

// syncBuffer lets the contract's concurrent subtest read while posters write.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// parseTranscript reads back what Stdout and DryRun print.
func parseTranscript(t *testing.T, s string) []postertest.Published {
	t.Helper()
	var out []postertest.Published
	for line := range strings.Lines(s) {
		if strings.HasPrefix(line, "--- ") && strings.HasSuffix(line, " ---\n") {
			out = append(out, parseSeparator(line))
			continue
		}
		if len(out) == 0 {
			t.Fatalf("transcript does not start with a separator: %q", s)
		}
		out[len(out)-1].Text += line
	}
	for i := range out {
		out[i].Text = strings.TrimSuffix(out[i].Text, "\n")
	}
	return out
}

func parseSeparator(line string) postertest.Published {
	var p postertest.Published
	for _, f := range strings.Fields(line) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "id":
			p.ID = v
		case "reply-to":
			p.InReplyTo = v
		case "key":
			p.IdempotencyKey = v
		}
	}
	return p
}

func newStdout(t *testing.T, name string, w io.Writer) *stdout.Stdout {
	t.Helper()
	s, err := stdout.New(name, w, textlen.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStdoutContract(t *testing.T) {
	postertest.Run(t, func(t *testing.T) postertest.Harness {
		var buf syncBuffer
		return postertest.Harness{
			Poster:    newStdout(t, "stdout", &buf),
			Published: func() []postertest.Published { return parseTranscript(t, buf.String()) },
		}
	})
}

func TestDryRunContract(t *testing.T) {
	postertest.Run(t, func(t *testing.T) postertest.Harness {
		var buf syncBuffer
		inner := &postertest.Recorder{PosterName: "mastodon", Spec: textlen.Spec{Platform: "mastodon", Limit: 1000}}
		t.Cleanup(func() {
			if got := inner.Posts(); len(got) != 0 {
				t.Errorf("dry run published %+v through the inner poster", got)
			}
		})
		return postertest.Harness{
			Poster:    stdout.DryRun(inner, &buf),
			Published: func() []postertest.Published { return parseTranscript(t, buf.String()) },
		}
	})
}

func TestRecorderContract(t *testing.T) {
	postertest.Run(t, func(t *testing.T) postertest.Harness {
		r := &postertest.Recorder{}
		return postertest.Harness{Poster: r, Published: r.Posts}
	})
}

func TestStdoutTranscript(t *testing.T) {
	var buf bytes.Buffer
	s := newStdout(t, "console", &buf)
	ctx := t.Context()
	if _, err := s.Post(ctx, poster.Post{Text: "一行目\n二行目 #itsec_jp", IdempotencyKey: "k1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Post(ctx, poster.Post{Text: "続き\n", InReplyTo: "console-1"}); err != nil {
		t.Fatal(err)
	}
	want := "--- console id=console-1 key=k1 ---\n一行目\n二行目 #itsec_jp\n" +
		"--- console id=console-2 reply-to=console-1 ---\n続き\n"
	if got := buf.String(); got != want {
		t.Errorf("transcript:\n got %q\nwant %q", got, want)
	}
}

func TestDryRunUsesInnerRule(t *testing.T) {
	inner := &postertest.Recorder{PosterName: "small", Spec: textlen.Spec{Platform: "mastodon", Limit: 10}}
	var buf bytes.Buffer
	d := stdout.DryRun(inner, &buf)
	if got := d.Name(); got != "small" {
		t.Errorf("Name() = %q, want %q", got, "small")
	}
	spec, err := d.Limits(t.Context())
	if err != nil || spec.Limit != 10 {
		t.Fatalf("Limits() = %+v, %v; want the inner rule with limit 10", spec, err)
	}
	_, err = d.Post(t.Context(), poster.Post{Text: "十一文字のテキストです"})
	if got := poster.DeliveryOf(err); got != poster.Rejected {
		t.Errorf("Post(11 chars) delivery = %v (err %v), want %v", got, err, poster.Rejected)
	}
	rc, err := d.Post(t.Context(), poster.Post{Text: "十文字のテキストです"})
	if err != nil || rc.ID != "small-dry-run-1" {
		t.Errorf("Post(10 chars) = %+v, %v; want ID small-dry-run-1", rc, err)
	}
	if want := "--- small dry-run id=small-dry-run-1 ---\n十文字のテキストです\n"; buf.String() != want {
		t.Errorf("transcript = %q, want %q", buf.String(), want)
	}
}

type failingWriter struct{ n int }

func (w failingWriter) Write(p []byte) (int, error) { return min(w.n, len(p)), errors.New("disk full") }

func TestStdoutWriteError(t *testing.T) {
	tests := []struct {
		name    string
		written int
		want    poster.Delivery
	}{
		{"nothing written", 0, poster.NotDelivered},
		{"partly written", 3, poster.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStdout(t, "out", failingWriter{tt.written})
			_, err := s.Post(context.Background(), poster.Post{Text: "x"})
			if got := poster.DeliveryOf(err); err == nil || got != tt.want {
				t.Errorf("Post error = %v (%v), want %v", err, got, tt.want)
			}
		})
	}
}
