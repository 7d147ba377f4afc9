package handlers

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"asrboard/models"
	"asrboard/storage"
	"asrboard/views"
)

// sessionsParams are the query parameters of the sessions table (and of its
// CSV export): the dashboard's card links use from, to (exclusive), is_test
// and the flags; the form adds period and through (an inclusive last day).
var sessionsParams = []string{"period", "from", "to", "through", "is_test", "is_lead", "is_opportunity",
	"in_working_hours", "agent_success", "human_agent_success", "rated", "channel", "q", "sort", "order", "limit"}

// Values of is_test beyond true and false: the table hides test sessions
// unless the URL says is_test=any (or true for only them).
const isTestAny = "any"

// sessionsQuery is the table's filter read from a URL: the storage filter,
// the form as typed (with errors), and the canonical query that links to
// the same filter (without cursor).
type sessionsQuery struct {
	filter storage.SessionFilter
	form   views.SessionsFilter
	values url.Values
}

// readSessionsQuery reads the table's URL: the period (see tablePeriod),
// test sessions hidden unless is_test says otherwise, a page of
// sessionsPageSize rows unless limit says otherwise, and the flags, search
// and sort the API reads too. Filter errors end up in form.Errors beside
// their fields; only a server fault is returned.
func (p *sessionPages) readSessionsQuery(ctx context.Context, q url.Values, loc *time.Location, now time.Time) (sessionsQuery, error) {
	sq := sessionsQuery{values: url.Values{}}
	for _, k := range sessionsParams {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			sq.values.Set(k, v)
		}
	}
	errs := views.FieldErrors{}
	// The API's parser reads the flags, search, sort and dates; the period
	// and the table's defaults are translated into its terms first.
	api := cloneValues(sq.values)
	custom := tablePeriod(sq.values, api, loc, now, errs)
	switch strings.ToLower(api.Get("is_test")) {
	case "":
		api.Set("is_test", "false")
	case isTestAny, "all":
		api.Del("is_test")
	}
	if api.Get("limit") == "" {
		api.Set("limit", strconv.Itoa(sessionsPageSize))
	} else if n, err := strconv.Atoi(api.Get("limit")); err != nil || n < 1 || n > maxSessionsPageSize {
		errs["limit"] = "must be a whole number from 1 to " + strconv.Itoa(maxSessionsPageSize)
		api.Del("limit")
	}
	if c := strings.TrimSpace(q.Get("cursor")); c != "" {
		api.Set("cursor", c)
	}
	f, err := p.sessionFilter(ctx, api)
	if err != nil && models.ErrorCode(err) != models.CodeInvalid {
		return sq, err
	}
	addFieldErrors(errs, err)
	sq.filter = f
	rangeLabel := "filter not applied"
	if len(errs) == 0 {
		rangeLabel = models.RangeLabel(f.From, f.To, loc)
	}
	sq.form = sessionsForm(sq.values, custom, f, loc, rangeLabel)
	sq.form.Errors = errs
	return sq, nil
}

// tablePeriod turns the period of the table's URL into the API's from and
// to. A preset name (period=7d…) goes through models.ResolvePeriod; with
// none, "custom" or "all", the from and to (or the form's inclusive through)
// dates or RFC 3339 times apply, none meaning all time. A preset other than
// all time wins over dates, which are then dropped from raw, so the form
// always shows what is applied. It reports whether dates (not a preset)
// decide.
func tablePeriod(raw, api url.Values, loc *time.Location, now time.Time, errs views.FieldErrors) bool {
	period := strings.ToLower(raw.Get("period"))
	api.Del("period")
	api.Del("through")
	if period == "" || period == models.PeriodCustom || period == models.PeriodAll {
		raw.Del("period")
		if t := raw.Get("through"); t != "" && raw.Get("to") == "" {
			if d, err := time.ParseInLocation(models.DateLayout, t, loc); err == nil {
				api.Set("to", d.AddDate(0, 0, 1).Format(models.DateLayout))
			} else {
				errs["to"] = "must be a date like 2026-05-01, got " + strconv.Quote(t)
			}
		}
		return true
	}
	for _, k := range []string{"from", "to", "through"} {
		raw.Del(k)
		api.Del(k)
	}
	per, err := models.ResolvePeriod(period, "", "", now, loc)
	if err != nil {
		addFieldErrors(errs, err)
		return false
	}
	setIf(api, "from", rfc3339(per.From))
	setIf(api, "to", rfc3339(per.To))
	return false
}

func setIf(v url.Values, k, s string) {
	if s != "" {
		v.Set(k, s)
	}
}

// addFieldErrors puts the details of an Invalid error beside their fields.
func addFieldErrors(errs views.FieldErrors, err error) {
	var me *models.Error
	if !errors.As(err, &me) {
		return
	}
	for _, d := range me.Details {
		field := d.Field
		if field == "" {
			field = "period"
		}
		if _, seen := errs[field]; !seen {
			errs[field] = d.Message
		}
	}
}

// sessionsForm fills the filter form from the URL as typed.
func sessionsForm(raw url.Values, custom bool, f storage.SessionFilter, loc *time.Location, rangeLabel string) views.SessionsFilter {
	form := views.SessionsFilter{
		Q:     raw.Get("q"),
		Sort:  raw.Get("sort"),
		Order: raw.Get("order"),
		Range: rangeLabel,
	}
	period := strings.ToLower(raw.Get("period"))
	if custom {
		form.From = raw.Get("from")
		form.Through = raw.Get("through")
		if form.Through == "" && f.To != nil {
			// to is exclusive; the form shows the last day included.
			form.Through = f.To.Add(-time.Nanosecond).In(loc).Format(models.DateLayout)
		}
		if form.From != "" && f.From != nil {
			form.From = f.From.In(loc).Format(models.DateLayout)
		}
		period = models.PeriodCustom
		if form.From == "" && form.Through == "" {
			period = models.PeriodAll
		}
	}
	form.PeriodOptions = []views.Option{{Value: models.PeriodAll, Label: models.PeriodLabel(models.PeriodAll)}}
	for _, n := range models.PeriodPresets {
		if n != models.PeriodAll {
			form.PeriodOptions = append(form.PeriodOptions, views.Option{Value: n, Label: models.PeriodLabel(n)})
		}
	}
	form.PeriodOptions = append(form.PeriodOptions, views.Option{Value: models.PeriodCustom, Label: "Custom dates"})
	pick(form.PeriodOptions, period)

	isTest := strings.ToLower(raw.Get("is_test"))
	switch isTest {
	case "", "0":
		isTest = "false"
	case "1":
		isTest = "true"
	case "all":
		isTest = isTestAny
	}
	form.IsTest = pick([]views.Option{{Value: "false", Label: "Hide test sessions"},
		{Value: isTestAny, Label: "Include test sessions"}, {Value: "true", Label: "Only test sessions"}}, isTest)
	yesNo := func(name, yes, no string) []views.Option {
		return pick([]views.Option{{Value: "", Label: "Any"}, {Value: "true", Label: yes}, {Value: "false", Label: no}},
			boolWord(raw.Get(name)))
	}
	form.IsLead = yesNo("is_lead", "Leads", "Not leads")
	form.IsOpportunity = yesNo("is_opportunity", "Opportunities", "Not opportunities")
	form.InHours = yesNo("in_working_hours", "In working hours", "Outside working hours")
	form.Rated = yesNo("rated", "Rated", "Not rated")
	codes := func(extra ...views.Option) []views.Option {
		out := []views.Option{{Value: "", Label: "Any"}}
		out = append(out, extra[:len(extra)-1]...)
		for _, c := range models.AgentSuccessCodes {
			out = append(out, views.Option{Value: c, Label: c})
		}
		return append(out, extra[len(extra)-1])
	}
	as, _ := models.NormaliseAgentSuccess(raw.Get("agent_success"))
	if as == "" {
		as = strings.ToLower(raw.Get("agent_success"))
	}
	form.AgentSuccess = pick(codes(views.Option{Value: "none", Label: "Not assessed"}), as)
	has, _ := models.NormaliseAgentSuccess(raw.Get("human_agent_success"))
	if has == "" {
		has = strings.ToLower(raw.Get("human_agent_success"))
	}
	form.HumanAgentSuccess = pick(codes(views.Option{Value: "any", Label: "Reviewed (any)"},
		views.Option{Value: "none", Label: "Not reviewed"}), has)
	ch := []views.Option{{Value: "", Label: "Any"}}
	for _, c := range models.Channels {
		ch = append(ch, views.Option{Value: c, Label: c})
	}
	form.Channel = pick(ch, strings.ToLower(raw.Get("channel")))
	for _, k := range sessionsParams {
		if k != "sort" && k != "order" && k != "limit" && raw.Get(k) != "" && !(k == "is_test" && isTest == "false") &&
			!(k == "period" && period == models.PeriodAll) {
			form.Active = true
		}
	}
	return form
}

// pick marks the option whose value is v as selected.
func pick(opts []views.Option, v string) []views.Option {
	for i := range opts {
		opts[i].Selected = opts[i].Value == v
	}
	return opts
}

// boolWord writes a boolean parameter the way the form's options do.
func boolWord(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1":
		return "true"
	case "false", "0":
		return "false"
	}
	return s
}

// href links to path with the same filter, on the page of cursor ("" for
// the first).
func (sq sessionsQuery) href(path, cursor string) string {
	v := cloneValues(sq.values)
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// sortLinks are the header links of the sortable columns: a click sorts by
// the column, newest or largest first, or flips the order of the column
// already sorted by; the page goes back to the first.
func (sq sessionsQuery) sortLinks() map[string]views.SortLink {
	cols := map[string]string{views.ColStarted: storage.SortStarted, views.ColLeadValue: storage.SortLeadValue, views.ColASR: storage.SortASR}
	cur := sq.filter.Sort
	if cur == "" {
		cur = storage.SortStarted
	}
	out := make(map[string]views.SortLink, len(cols))
	for key, sort := range cols {
		v := cloneValues(sq.values)
		l := views.SortLink{State: "none"}
		order := "desc"
		if sort == cur {
			l.State = "descending"
			if sq.filter.Asc {
				l.State = "ascending"
			} else {
				order = "asc"
			}
		}
		v.Set("sort", sort)
		v.Set("order", order)
		l.Href = "/sessions?" + v.Encode()
		out[key] = l
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
