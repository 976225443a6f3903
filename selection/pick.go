package selection

// MinShare is the fewest stories a feed may always take from a digest.
const MinShare = 3

// Pick takes up to limit stories from ranked (best first) so that no feed
// takes more than its share, ceil(limit / feeds with stories), at least
// MinShare; slots the other feeds leave empty go to the best of the rest.
// It returns the chosen stories in rank order and the rest.
func Pick(ranked []*Story, limit int) (chosen, rest []*Story) {
	if limit <= 0 {
		return nil, ranked
	}
	feeds := map[string]bool{}
	for _, s := range ranked {
		feeds[s.Feed()] = true
	}
	share := max(MinShare, (limit+len(feeds)-1)/max(len(feeds), 1))
	taken := map[string]int{}
	picked := make([]bool, len(ranked))
	n := 0
	for i, s := range ranked {
		if n == limit {
			break
		}
		if taken[s.Feed()] < share {
			taken[s.Feed()]++
			picked[i] = true
			n++
		}
	}
	for i := range ranked {
		if n == limit {
			break
		}
		if !picked[i] {
			picked[i] = true
			n++
		}
	}
	for i, s := range ranked {
		if picked[i] {
			chosen = append(chosen, s)
		} else {
			rest = append(rest, s)
		}
	}
	return chosen, rest
}
