package poster

import (
	"context"
	"net/http/httptrace"
	"sync/atomic"
)

// TraceConnection returns ctx traced so that sent is set once a connection
// is obtained for a request made with it: from then on the request may
// have reached the platform, while a failure before it (DNS, dial, TLS, a
// canceled context) surely sent nothing. GotConn runs on the goroutine
// that sends, unlike WroteRequest, so the flag is settled when the
// client returns.
func TraceConnection(ctx context.Context, sent *atomic.Bool) context.Context {
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { sent.Store(true) },
	})
}

// TransportError classifies a request that got no answer, as unavailable:
// NotDelivered when no connection was obtained for it, else Unknown
// (mayHaveSent, see TraceConnection).
func TransportError(name string, err error, mayHaveSent bool) *Error {
	pe := &Error{Poster: name, Delivered: NotDelivered, Cause: CauseUnavailable, Err: err}
	if mayHaveSent {
		pe.Delivered = Unknown
	}
	return pe
}
