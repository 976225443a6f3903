package poster

import (
	"context"
	"sync"
)

// MemoryState is a State kept in memory: a poster's when it is built
// without a database, or a test's. The zero value is ready to use.
type MemoryState struct {
	mu     sync.Mutex
	values map[string]string
}

// Load returns the value of key, "" when unset.
func (m *MemoryState) Load(_ context.Context, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.values[key], nil
}

// Save sets key to value.
func (m *MemoryState) Save(_ context.Context, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.values == nil {
		m.values = map[string]string{}
	}
	m.values[key] = value
	return nil
}
