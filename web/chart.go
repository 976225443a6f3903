package web

import (
	"fmt"

	"github.com/itsecbot/itsecbot/store"
)

// The chart's drawing, in SVG user units; the SVG scales to its box.
const (
	chartWidth  = 340.0 // about a phone's width in CSS pixels: text keeps its size there
	chartHeight = 200.0
	chartPad    = 6.0
	barWidth    = 16.0
)

// chart is items and posts per day, drawn on the server as SVG bars.
type chart struct {
	Width, Height float64
	AxisEnd       float64 // where the axes end
	Days          []store.DayCount
	Panels        []panel
	Labels        []label
}

// panel is one series' strip of the chart.
type panel struct {
	Title    string
	Legend   []legend
	TitleY   float64
	Baseline float64
	Max      int
	Bars     []bar
}

type legend struct {
	X     float64
	Class string
	Text  string
}

type bar struct {
	X, Y, W, H float64
	Class      string
	Value      int
	Title      string
}

type label struct {
	X    float64
	Text string
	Bold bool
}

// newChart lays out days (oldest first, today last).
func newChart(days []store.DayCount) chart {
	c := chart{Width: chartWidth, Height: chartHeight, AxisEnd: chartWidth - chartPad, Days: days}
	slot := (chartWidth - 2*chartPad) / float64(len(days))
	x := func(i int) float64 { return chartPad + slot*float64(i) + (slot-barWidth)/2 }
	items := panel{Title: "新着", TitleY: 14, Baseline: 100, Legend: []legend{{X: 200, Class: "b-new", Text: "新着"}, {X: 250, Class: "b-acc", Text: "うち採用"}}}
	posts := panel{Title: "投稿", TitleY: 124, Baseline: 174, Legend: []legend{{X: 200, Class: "b-post", Text: "送信済み"}}}
	for _, d := range days {
		items.Max = max(items.Max, d.Items)
		posts.Max = max(posts.Max, d.Posts)
	}
	const itemsHeight, postsHeight = 66.0, 34.0 // below the titles, with room for the values
	for i, d := range days {
		day := d.Start.Format("1/2")
		items.Bars = append(items.Bars,
			column(x(i), items.Baseline, itemsHeight, d.Items, items.Max, "b-new", fmt.Sprintf("%s 新着 %d件", day, d.Items)),
			column(x(i)+3, items.Baseline, itemsHeight, d.Accepted, items.Max, "b-acc", fmt.Sprintf("%s 採用 %d件", day, d.Accepted)))
		items.Bars[len(items.Bars)-1].W = barWidth - 6
		posts.Bars = append(posts.Bars,
			column(x(i), posts.Baseline, postsHeight, d.Posts, posts.Max, "b-post", fmt.Sprintf("%s 投稿 %d件", day, d.Posts)))
		if i%2 == (len(days)-1)%2 {
			c.Labels = append(c.Labels, label{X: x(i) + barWidth/2, Text: day, Bold: i == len(days)-1})
		}
	}
	c.Panels = []panel{items, posts}
	return c
}

// column is one bar of value out of most, standing on baseline.
func column(x, baseline, height float64, value, most int, class, title string) bar {
	h := 0.0
	if most > 0 {
		h = height * float64(value) / float64(most)
	}
	if value > 0 && h < 1 {
		h = 1 // a day with something shows something
	}
	return bar{X: x, Y: baseline - h, W: barWidth, H: h, Class: class, Value: value, Title: title}
}
