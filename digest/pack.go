package digest

import (
	"errors"
	"fmt"
)

// group is the stories of one digest post, with the post's text.
type group struct {
	members []*prepared
	items   []string
	text    string
}

// digest packs every story into one thread. The "i/n" numbering is part
// of each post, so its width is counted: packing assumes n parts, and
// repeats with the real count until the two agree. Longer numbering never
// makes room, so the count only grows and the loop ends.
func (c *composer) digest() ([]Thread, error) {
	if len(c.stories) == 0 {
		return nil, nil
	}
	full := make([]string, len(c.stories))
	for i := range c.stories {
		item, err := c.render(&c.stories[i], c.tpl.item, c.stories[i].item.Title)
		if err != nil {
			return nil, &StoryError{ID: c.stories[i].id, Title: c.stories[i].item.Title, Err: err}
		}
		full[i] = item
	}
	parts := 1
	for range len(c.stories) + 1 {
		groups, err := c.pack(full, parts)
		if err != nil {
			return nil, err
		}
		if len(groups) > parts {
			parts = len(groups)
			continue
		}
		if len(groups) < parts {
			// Not expected (the count only grows from 1), but numbering
			// must match the real thread, so rewrite and re-check it.
			if groups, err = c.renumber(groups); err != nil {
				return nil, err
			}
		}
		return []Thread{toThread(groups)}, nil
	}
	return nil, errors.New("compose digest: thread numbering did not settle")
}

// pack fills posts in story order, assuming the thread has parts posts. A
// story starts a new post when it does not fit in the current one, and is
// shortened only when it does not fit even alone.
func (c *composer) pack(full []string, parts int) ([]group, error) {
	var groups []group
	var cur group
	header := ""
	for i := range c.stories {
		p := &c.stories[i]
		if len(cur.members) > 0 {
			next := group{
				members: append(cur.members[:len(cur.members):len(cur.members)], p),
				items:   append(cur.items[:len(cur.items):len(cur.items)], full[i]),
			}
			next.text = joinPost(header, next.items, c.tagLine(next.members...))
			if c.rule.Fits(next.text) {
				cur = next
				continue
			}
			groups = append(groups, cur)
		}
		var err error
		if header, err = c.header(len(groups)+1, parts); err != nil {
			return nil, err
		}
		if cur, err = c.startGroup(p, header); err != nil {
			return nil, err
		}
	}
	return append(groups, cur), nil
}

// startGroup opens a post with p alone, shortening its title if needed.
func (c *composer) startGroup(p *prepared, header string) (group, error) {
	tags := c.tagLine(p)
	wrap := func(item string) string { return joinPost(header, []string{item}, tags) }
	item, err := c.fitItem(p, c.tpl.item, wrap)
	if err != nil {
		return group{}, err
	}
	return group{members: []*prepared{p}, items: []string{item}, text: wrap(item)}, nil
}

// renumber rewrites the headers for the real number of posts and checks
// that every post still fits.
func (c *composer) renumber(groups []group) ([]group, error) {
	out := make([]group, len(groups))
	for i, g := range groups {
		header, err := c.header(i+1, len(groups))
		if err != nil {
			return nil, err
		}
		g.text = joinPost(header, g.items, c.tagLine(g.members...))
		if !c.rule.Fits(g.text) {
			return nil, fmt.Errorf("renumber digest post %d: %w", i+1, ErrTooLong)
		}
		out[i] = g
	}
	return out, nil
}

// header renders the header of post part of parts.
func (c *composer) header(part, parts int) (string, error) {
	d := newHeaderData(c.slot, len(c.stories))
	d.Part, d.Parts = part, parts
	if parts > 1 {
		d.Numbering = fmt.Sprintf("%d/%d", part, parts)
	}
	return execute(c.tpl.header, d)
}

func toThread(groups []group) Thread {
	posts := make([]Post, len(groups))
	for i, g := range groups {
		ids := make([]int64, len(g.members))
		for j, p := range g.members {
			ids[j] = p.id
		}
		posts[i] = Post{Text: g.text, Stories: ids}
	}
	return Thread{Posts: posts}
}
