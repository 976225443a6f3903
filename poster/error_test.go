package poster

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestErrorMessage(t *testing.T) {
	base := errors.New("bad request: 422 Unprocessable Entity: Validation failed: Text too long")
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{
			"message already in err",
			&Error{Poster: "mastodon", Status: 422, Message: "Validation failed: Text too long", Delivered: Rejected, Err: base},
			"post to mastodon (rejected): HTTP 422: Validation failed: Text too long",
		},
		{
			"transport error",
			&Error{Poster: "m", Delivered: NotDelivered, Err: errors.New("dial tcp: connection refused")},
			"post to m (not delivered): dial tcp: connection refused",
		},
		{
			"retry after",
			&Error{Poster: "m", Status: 429, Message: "Too many requests", Delivered: NotDelivered, RetryAfter: 30 * time.Second},
			"post to m (not delivered): HTTP 429: Too many requests (retry after 30s)",
		},
		{
			"zero value is unknown",
			&Error{Poster: "m", Status: 500},
			"post to m (delivery unknown): HTTP 500",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDeliveryOf(t *testing.T) {
	rejected := &Error{Poster: "m", Delivered: Rejected, Err: context.Canceled}
	tests := []struct {
		name string
		err  error
		want Delivery
	}{
		{"direct", rejected, Rejected},
		{"wrapped", fmt.Errorf("publish digest: %w", rejected), Rejected},
		{"not delivered", &Error{Delivered: NotDelivered}, NotDelivered},
		{"unclassified", errors.New("boom"), Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DeliveryOf(tt.err); got != tt.want {
				t.Errorf("DeliveryOf(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
	if !errors.Is(rejected, context.Canceled) {
		t.Error("errors.Is does not see through *Error to its Err")
	}
}
