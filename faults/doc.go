// Package faults is itsecbot's fault suite. Its tests build the real
// binary and run it against loopback fake feeds and platforms: they kill
// it at named points of a cycle (see internal/crashpoint) and check that
// the next runs deliver every accepted story to every poster exactly once
// and leave a sound database; they feed it hostile feeds, each of which
// must fail alone, within bounded memory and time; they make platforms
// fail while other posters carry on; and they fill its disk.
//
// By default a representative subset runs, within a minute or so;
//
//	go test ./faults -full
//
// runs every kill point, hostile feed and fault, at full size, and logs
// the peak memory and cycle time of each hostile feed.
package faults
