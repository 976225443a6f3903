package postertest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/itsecbot/itsecbot/poster"
)

// slowDeadline bounds a post under FaultSlow when the poster's own
// timeout is longer.
const slowDeadline = 2 * time.Second

// runFaults checks how the poster classifies each platform fault: what
// must wait, what was refused, and what may have been published. A
// poster with read-back must find a post whose answer was lost.
func runFaults(t *testing.T, newHarness func(t *testing.T) Harness) {
	tests := []struct {
		name  string
		fault Fault
		check func(t *testing.T, h Harness, err error)
	}{
		{"Refuse", FaultRefuse, checkRefused},
		{"RateLimit", FaultRateLimit, checkRateLimited},
		{"ServerError", FaultServerError, checkServerError},
		{"Slow", FaultSlow, checkSlow},
		{"DropAfterStore", FaultDropAfterStore, checkDropped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if h.Inject == nil {
				t.Skip("the poster has no platform to fault")
			}
			h.Inject(tt.fault)
			ctx, cancel := context.WithTimeout(t.Context(), slowDeadline)
			defer cancel()
			_, err := h.Poster.Post(ctx, poster.Post{Text: threadTexts[0], IdempotencyKey: "fault-" + tt.name})
			if err == nil {
				t.Fatalf("Post under %s succeeded", tt.name)
			}
			tt.check(t, h, err)
		})
	}
}

func checkRefused(t *testing.T, h Harness, err error) {
	if got := poster.DeliveryOf(err); got != poster.Rejected {
		t.Errorf("delivery = %v (%v), want %v", got, err, poster.Rejected)
	}
	if got := poster.CauseOf(err); got != poster.CauseInvalid && got != poster.CauseTooLong {
		t.Errorf("cause = %v (%v), want invalid or too long", got, err)
	}
	checkNothing(t, h)
}

func checkRateLimited(t *testing.T, h Harness, err error) {
	if got := poster.DeliveryOf(err); got != poster.NotDelivered {
		t.Errorf("delivery = %v (%v), want %v", got, err, poster.NotDelivered)
	}
	if got := poster.CauseOf(err); got != poster.CauseRateLimited {
		t.Errorf("cause = %v (%v), want %v", got, err, poster.CauseRateLimited)
	}
	var pe *poster.Error
	if !asError(err, &pe) || pe.RetryAfter < 30*time.Second || pe.RetryAfter > 120*time.Second {
		t.Errorf("RetryAfter from the reset header = %v (%v), want about 60s", retryAfter(pe), err)
	}
	checkNothing(t, h)
}

func checkServerError(t *testing.T, h Harness, err error) {
	if got := poster.DeliveryOf(err); got == poster.Rejected {
		t.Errorf("a server error was taken as a refusal of the content: %v", err)
	}
	checkNothing(t, h)
}

func checkSlow(t *testing.T, _ Harness, err error) {
	if got := poster.DeliveryOf(err); got != poster.Unknown {
		t.Errorf("delivery = %v (%v), want %v: the request reached the platform", got, err, poster.Unknown)
	}
}

func checkDropped(t *testing.T, h Harness, err error) {
	if got := poster.DeliveryOf(err); got != poster.Unknown {
		t.Errorf("delivery = %v (%v), want %v", got, err, poster.Unknown)
	}
	if got := h.Published(); len(got) != 1 {
		t.Fatalf("published %+v, want the one stored post", got)
	}
	reader, ok := h.Poster.(poster.Reader)
	if !h.Poster.Capabilities().ReadBack || !ok {
		return
	}
	remotes, err := reader.Recent(t.Context(), time.Now().Add(-time.Minute))
	if err != nil {
		t.Fatalf("Recent after the drop: %v", err)
	}
	for _, r := range remotes {
		if poster.SameText(threadTexts[0], r.Text) {
			return
		}
	}
	t.Errorf("Recent = %+v does not hold the stored post", remotes)
}

func checkNothing(t *testing.T, h Harness) {
	t.Helper()
	if got := h.Published(); len(got) != 0 {
		t.Errorf("published %+v, want nothing", got)
	}
}

func asError(err error, pe **poster.Error) bool { return errors.As(err, pe) }

func retryAfter(pe *poster.Error) time.Duration {
	if pe == nil {
		return 0
	}
	return pe.RetryAfter
}
