package feeds

import (
	"context"

	"golang.org/x/sync/semaphore"
)

// DefaultParseBudget is the memory, in bytes, that parses running at once
// may be estimated to take when NewParseBudget is given 0.
const DefaultParseBudget = 64 << 20

// ParseBudget bounds the memory of parses running at once. Each parse is
// weighed by its estimated peak memory (from the size of the document and
// the nodes and attributes its structure scan counted), not by their
// number: one large document waits for smaller ones to finish rather than
// joining them. It is safe for concurrent use.
type ParseBudget struct {
	size int64
	sem  *semaphore.Weighted
}

// NewParseBudget returns a budget of size bytes; size <= 0 means
// DefaultParseBudget.
func NewParseBudget(size int64) *ParseBudget {
	if size <= 0 {
		size = DefaultParseBudget
	}
	return &ParseBudget{size: size, sem: semaphore.NewWeighted(size)}
}

// Acquire waits until n bytes of the budget are free, or ctx ends. A request
// larger than the whole budget takes all of it, so it runs alone rather
// than never. Give the same n back with Release.
func (b *ParseBudget) Acquire(ctx context.Context, n int64) error {
	return b.sem.Acquire(ctx, b.clamp(n))
}

// Release gives back n bytes taken by Acquire.
func (b *ParseBudget) Release(n int64) { b.sem.Release(b.clamp(n)) }

func (b *ParseBudget) clamp(n int64) int64 { return min(max(n, 0), b.size) }

// Parse is Parse with the parse's estimated memory held from b while the
// parser runs. The structure check runs first, outside the budget, so a
// document refused as too complex never waits.
func (b *ParseBudget) Parse(ctx context.Context, body []byte, opts ParseOptions) (*Feed, error) {
	return parse(ctx, b, body, opts)
}

// Estimated peak memory of a parse, measured on the captured feeds scaled
// to 10 MiB and on hostile shapes at the structure limits
// (see TestParseCostBoundsMemory).
const (
	costPerByte = 16
	costPerNode = 2048
	costPerAttr = 256
)

// parseCost estimates the peak memory of parsing an n-byte document of
// structure st.
func parseCost(n int, st structure) int64 {
	return costPerByte*int64(n) + costPerNode*int64(st.nodes) + costPerAttr*int64(st.attrs) + st.joined
}
