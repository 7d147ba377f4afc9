package views

// DashboardView is everything the dashboard page shows for one period.
type DashboardView struct {
	Picker PeriodPicker
	// From and To are the resolved bounds as RFC 3339 ("" when open), kept in
	// data attributes so tests and scripts can ask the API for the same span.
	From, To string
	// PrevFrom and PrevTo bound the period the changes compare with.
	PrevFrom, PrevTo string
	Cards            []Card
	Chart            ChartView
	Split            []SplitRow
	Agreement        []AgreementStat
}

// PeriodOption is one preset of the period picker.
type PeriodOption struct {
	Name, Label, Href string
	Active            bool
}

// PeriodPicker is the choice of period: presets, and a custom range whose
// second date is inclusive (the form sends it as "through").
type PeriodPicker struct {
	// Label and Range describe the chosen period; PrevRange the one it is
	// compared with ("" when not comparable).
	Label, Range, PrevRange string
	Options                 []PeriodOption
	Custom                  bool
	// From and Through are the custom dates shown in the form (YYYY-MM-DD).
	From, Through string
	// Errors of the custom form, beside their fields; PeriodError is for a
	// bad preset name in the URL.
	FromError, ThroughError, PeriodError string
}

// Trends of a card's change, for its colour.
const (
	TrendUp   = "up"
	TrendDown = "down"
	TrendFlat = "flat"
	TrendNone = "none"
)

// Card is one figure of SPEC §4 with its change against the previous period.
type Card struct {
	// Key names the card in data-testid="card-<Key>".
	Key   string
	Title string
	Help  string
	Value string
	// Raw is the exact figure behind Value, as the API writes it (cents,
	// counts, 4-decimal fractions, "" for a score with nothing to average).
	Raw string
	// Change is the absolute change ("+$1,200.00", "+2.1 pp" for scores)
	// and ChangePercent the relative one ("+12.3%", Dash from zero, "" for
	// scores); Trend is TrendNone when there is nothing to compare with.
	Change, ChangePercent string
	Trend                 string
	// Href lists the sessions behind the figure; LinkText says how many.
	Href, LinkText string
	Primary        bool
}

// SplitRow is the ASR and the opportunities inside or outside working hours.
type SplitRow struct {
	Key, Label string
	ASR        string
	ASRRaw     int64
	// ASRShare is the row's share of the total ("62.5%"); ASRBar the same
	// as a bar length from 0 to 100.
	ASRShare  string
	ASRBar    float64
	Opps      string
	OppsRaw   int64
	OppsBar   float64
	OppsShare string
	Href      string
}

// AgreementStat is how often the AI's verdict matched the reviewer's.
type AgreementStat struct {
	Key, Label string
	// Share is "83.3%" and Detail "of 120 reviewed", or Share is Dash and
	// Detail "no reviews yet".
	Share, Detail string
	Agree, Total  int64
	Href          string
}
