//go:build !unix

package main

// lockDatabase is a no-op where flock is unavailable; run one itsecbot per
// database there.
func lockDatabase(string) (unlock func(), err error) { return func() {}, nil }
