package main

import (
	"context"
	"log/slog"
	"runtime"
)

// logMemStats logs the process's allocation totals at debug level, so that a
// benchmark driving the real binary can read what a cycle allocated.
func logMemStats(ctx context.Context, logger *slog.Logger) {
	if !logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	logger.Debug("memory", "total_alloc", m.TotalAlloc, "mallocs", m.Mallocs,
		"heap_sys", m.HeapSys, "sys", m.Sys)
}
