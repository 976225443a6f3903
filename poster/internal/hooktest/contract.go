package hooktest

import "github.com/itsecbot/itsecbot/poster/postertest"

// Published turns what a fake received into what the contract compares,
// for postertest.Harness.Published.
func Published[M any](received func() []M, published func(M) postertest.Published) func() []postertest.Published {
	return func() []postertest.Published {
		var out []postertest.Published
		for _, m := range received() {
			out = append(out, published(m))
		}
		return out
	}
}

// ContractFault is the fault a fake webhook shows for a contract fault
// that looks the same on every platform: a slow one never answers, and
// one that fails after storing the post drops the connection. The other
// faults are answered in the platform's own words, so f must be one of
// these two.
func ContractFault(f postertest.Fault) Fault {
	switch f {
	case postertest.FaultSlow:
		return Fault{Hang: true}
	case postertest.FaultDropAfterStore:
		return Fault{Publish: true, Drop: true}
	}
	panic("unknown fault")
}
