package views

import (
	"math"
	"strconv"
	"strings"
)

// ChartPoint is one bucket of the dashboard chart: a day, week, month or year.
type ChartPoint struct {
	// Label is the short axis label ("May 13"); Title the full span
	// ("May 11 – 17, 2026") for tooltips and the data table.
	Label, Title string
	ASRCents     int64
	Sessions     int64
	// Href lists the sessions behind the bucket.
	Href string
}

// ChartBar is an ASR bar in SVG user units.
type ChartBar struct {
	X, Y, W, H float64
	Tooltip    string
}

// ChartDot is a point of the sessions line.
type ChartDot struct {
	X, Y float64
}

// ChartTick is an axis label at a position along its axis.
type ChartTick struct {
	Pos   float64
	Label string
}

// ChartView is the bar-and-line chart of ASR and sessions, with every
// coordinate computed here so the template only draws.
type ChartView struct {
	Title, Desc   string
	Width, Height float64
	// The plot area.
	Left, Right, Top, Bottom float64
	Bars                     []ChartBar
	// Line is the sessions polyline ("x,y x,y ...").
	Line       string
	Dots       []ChartDot
	MoneyTicks []ChartTick // left axis, Pos is y
	CountTicks []ChartTick // right axis, Pos is y
	XLabels    []ChartTick // Pos is x
	Points     []ChartPoint
	Currency   string
	// BucketName is "day", "week", "month" or "year".
	BucketName string
}

// Empty tells whether there is nothing to draw: no bucket has a session.
func (c ChartView) Empty() bool {
	for _, p := range c.Points {
		if p.Sessions > 0 || p.ASRCents != 0 {
			return false
		}
	}
	return true
}

// chart geometry in SVG user units; the SVG scales to its box.
const (
	chartW, chartH                             = 760.0, 280.0
	chartLeft, chartRight, chartTop, chartBase = 70.0, 48.0, 16.0, 34.0
	chartTicks                                 = 4
	chartMaxXLabels                            = 8
)

// NewChart lays out the points: bars for ASR on the left axis, a line for
// sessions on the right axis, round tick values, at most 8 x labels.
func NewChart(title, desc, bucket string, points []ChartPoint, currency string) ChartView {
	c := ChartView{Title: title, Desc: desc, Width: chartW, Height: chartH, Points: points, Currency: currency, BucketName: bucket,
		Left: chartLeft, Right: chartW - chartRight, Top: chartTop, Bottom: chartH - chartBase}
	if len(points) == 0 {
		return c
	}
	var maxASR, maxSessions int64
	for _, p := range points {
		maxASR = max(maxASR, p.ASRCents)
		maxSessions = max(maxSessions, p.Sessions)
	}
	moneyStep := niceStep(maxASR, chartTicks, 100)
	countStep := niceStep(maxSessions, chartTicks, 1)
	moneyTop, countTop := axisTop(maxASR, moneyStep), axisTop(maxSessions, countStep)
	plotH := c.Bottom - c.Top
	y := func(v, top int64) float64 { return c.Bottom - float64(v)/float64(top)*plotH }
	for v := int64(0); v <= moneyTop; v += moneyStep {
		c.MoneyTicks = append(c.MoneyTicks, ChartTick{Pos: y(v, moneyTop), Label: FormatMoneyShort(v, currency)})
	}
	for v := int64(0); v <= countTop; v += countStep {
		c.CountTicks = append(c.CountTicks, ChartTick{Pos: y(v, countTop), Label: FormatCount(v)})
	}
	band := (c.Right - c.Left) / float64(len(points))
	barW := math.Max(1, band*0.72)
	every := (len(points) + chartMaxXLabels - 1) / chartMaxXLabels
	var line strings.Builder
	for i, p := range points {
		x := c.Left + band*float64(i)
		top := y(p.ASRCents, moneyTop)
		c.Bars = append(c.Bars, ChartBar{X: x + (band-barW)/2, Y: top, W: barW, H: c.Bottom - top,
			Tooltip: p.Title + ": ASR " + FormatMoney(p.ASRCents, currency) + ", " + FormatCount(p.Sessions) + " sessions"})
		cx, cy := x+band/2, y(p.Sessions, countTop)
		if i > 0 {
			line.WriteByte(' ')
		}
		line.WriteString(f1(cx) + "," + f1(cy))
		c.Dots = append(c.Dots, ChartDot{X: cx, Y: cy})
		if i%every == 0 {
			c.XLabels = append(c.XLabels, ChartTick{Pos: cx, Label: p.Label})
		}
	}
	c.Line = line.String()
	if len(points) > 40 {
		c.Dots = nil // a line of many points reads better without dots
	}
	return c
}

// niceStep is a round tick step (1, 2 or 5 times a power of ten, at least
// minStep) so that ticks steps cover maxV.
func niceStep(maxV int64, ticks int, minStep int64) int64 {
	if maxV <= 0 {
		return minStep
	}
	raw := (maxV + int64(ticks) - 1) / int64(ticks)
	for mag := minStep; ; mag *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if s := m * mag; s >= raw {
				return s
			}
		}
	}
}

// axisTop is the top tick: maxV rounded up to a whole step (one step when 0).
func axisTop(maxV, step int64) int64 {
	if maxV <= 0 {
		return step
	}
	return (maxV + step - 1) / step * step
}

// f1 writes an SVG coordinate with one decimal.
func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// intS and int64s write numbers for data attributes.
func intS(n int) string { return strconv.Itoa(n) }

func int64s(n int64) string { return strconv.FormatInt(n, 10) }
