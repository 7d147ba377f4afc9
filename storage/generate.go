package storage

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"asrboard/models"
)

// GenerateOptions describe a batch of synthetic sessions.
type GenerateOptions struct {
	// Sessions is how many sessions to create (> 0).
	Sessions int
	// Days spreads started_at over the last Days days (default 90).
	Days int
	// Seed makes the data reproducible; the same seed gives the same sessions.
	Seed uint64
	// Prefix starts every external_id; default "gen-<seed>-". Generate refuses
	// a prefix some stored session already uses, so ids never collide.
	Prefix string
	// Demo writes conversational summaries and transcripts and leaves the
	// human part empty, so that the demo can apply its reviews through Review
	// and have them audited; otherwise a few percent of the sessions get human
	// overrides and about 30% get stars directly (synthetic data needs no audit).
	Demo bool
	// Now is the end of the spread; zero means time.Now().
	Now time.Time
}

// generateColumns are the sessions columns Generate writes, in the order of
// appendGenRow's values.
var generateColumns = []string{"external_id", "started_at", "ended_at", "channel", "caller_name", "caller_phone",
	"caller_email", "summary", "transcript", "auto_is_lead", "refused", "unavailable", "units", "auto_agent_success",
	"auto_is_test", "phone_key", "email_key", "human_is_test", "human_is_lead", "human_is_opportunity",
	"human_agent_success", "stars", "comment", "is_test", "is_lead", "is_opportunity", "agent_success",
	"success_factor", "lead_value_cents", "in_working_hours", "recognition", "additional_deals_e8", "asr_cents",
	"created_at", "updated_at"}

// generateRowsPerInsert keeps one multi-row INSERT under SQLite's limit of
// 32,766 bound variables (and PostgreSQL's 65,535).
const generateRowsPerInsert = 500

// Generate fills the database with opts.Sessions synthetic sessions for demos
// and benchmarks. Rows are built in Go, their derived fields set by
// Session.Recompute with the stored attributes, and written with prepared
// multi-row INSERTs instead of per-row hooks; the rollups are rebuilt in the
// same transaction, so the whole batch appears at once or not at all.
// progress, when set, is told how many sessions were written so far.
func (s *Store) Generate(ctx context.Context, opts GenerateOptions, progress func(done int)) error {
	if opts.Sessions <= 0 {
		return models.Invalid("invalid generate options", models.FieldError{Field: "sessions", Message: "must be at least 1"})
	}
	if opts.Days == 0 {
		opts.Days = 90
	}
	if opts.Days < 1 || opts.Days > 36500 {
		return models.Invalid("invalid generate options", models.FieldError{Field: "days", Message: "must be from 1 to 36500"})
	}
	if opts.Prefix == "" {
		opts.Prefix = "gen-" + strconv.FormatUint(opts.Seed, 10) + "-"
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		a, err := loadAttributes(tx)
		if err != nil {
			return err
		}
		var taken int64
		like := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(opts.Prefix) + "%"
		if err := tx.Raw(`SELECT COUNT(*) FROM sessions WHERE external_id LIKE ? ESCAPE '\'`, like).Scan(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return &models.Error{Code: models.CodeConflict, Message: "ids already taken", Details: []models.FieldError{{
				Field: "seed", Message: fmt.Sprintf("%d stored sessions already have ids starting with %q; choose another seed", taken, opts.Prefix)}}}
		}
		w := &genWriter{tx: tx, ctx: ctx, dialect: s.dialect}
		defer w.close()
		g := newGenerator(opts, a)
		done := 0
		for sess := range g.sessions() {
			sess.Recompute(a)
			if err := w.add(sess); err != nil {
				return err
			}
			done++
			if done%generateRowsPerInsert == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				if progress != nil {
					progress(done)
				}
			}
		}
		if err := w.flush(); err != nil {
			return err
		}
		if err := rebuildRollups(tx); err != nil {
			return fmt.Errorf("rebuild rollups: %w", err)
		}
		if progress != nil {
			progress(done)
		}
		return nil
	})
	if err != nil && ctx.Err() != nil {
		// database/sql closes the statements of a cancelled transaction
		// under our feet; the cancellation is the cause worth reporting.
		return ctx.Err()
	}
	return err
}

// genWriter batches rows into multi-row INSERTs, the full-size one prepared
// once, through the transaction's connection, bypassing GORM's statement
// builder: at a million rows its per-variable work would dominate.
type genWriter struct {
	tx      *gorm.DB
	ctx     context.Context
	dialect string
	args    []any
	rows    int
	full    *sql.Stmt
}

func (w *genWriter) add(s *models.Session) error {
	w.args = appendGenRow(w.args, s)
	w.rows++
	if w.rows == generateRowsPerInsert {
		return w.flush()
	}
	return nil
}

func (w *genWriter) flush() error {
	if w.rows == 0 {
		return nil
	}
	pool := w.tx.Statement.ConnPool
	var err error
	if w.rows == generateRowsPerInsert {
		if w.full == nil {
			if w.full, err = pool.PrepareContext(w.ctx, insertSessionsSQL(w.dialect, w.rows)); err != nil {
				return fmt.Errorf("prepare insert: %w", err)
			}
		}
		_, err = w.full.ExecContext(w.ctx, w.args...)
	} else {
		_, err = pool.ExecContext(w.ctx, insertSessionsSQL(w.dialect, w.rows), w.args...)
	}
	if err != nil {
		return fmt.Errorf("insert sessions: %w", err)
	}
	w.args, w.rows = w.args[:0], 0
	return nil
}

func (w *genWriter) close() {
	if w.full != nil {
		_ = w.full.Close()
	}
}

// insertSessionsSQL is "INSERT INTO sessions (...) VALUES (...), (...)" for
// rows rows, with the dialect's placeholders.
func insertSessionsSQL(dialect string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO sessions (")
	b.WriteString(strings.Join(generateColumns, ", "))
	b.WriteString(") VALUES ")
	n := 0
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range generateColumns {
			if c > 0 {
				b.WriteString(", ")
			}
			n++
			if dialect == Postgres {
				b.WriteString("$" + strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// appendGenRow appends the values of generateColumns for s, as plain driver
// values (NULL for an unset pointer).
func appendGenRow(args []any, s *models.Session) []any {
	var ended, units any
	if s.EndedAt != nil {
		ended = s.EndedAt.UnixMicro()
	}
	if s.Units != nil {
		units = int64(*s.Units)
	}
	return append(args,
		s.ExternalID, s.StartedAt.UnixMicro(), ended, s.Channel, s.CallerName, s.CallerPhone,
		s.CallerEmail, s.Summary, s.Transcript, s.AutoIsLead, s.Refused, s.Unavailable, units, s.AutoAgentSuccess,
		s.AutoIsTest, s.PhoneKey, s.EmailKey, nullable(s.HumanIsTest), nullable(s.HumanIsLead), nullable(s.HumanIsOpportunity),
		nullable(s.HumanAgentSuccess), nullable(s.Stars), nullable(s.Comment), s.IsTest, s.IsLead, s.IsOpportunity, s.AgentSuccess,
		int64(s.SuccessFactor), s.LeadValueCents, s.InWorkingHours, int64(s.Recognition), s.AdditionalDealsE8, s.ASRCents,
		s.CreatedAt, s.UpdatedAt)
}

func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// generator draws realistic sessions: a daily rhythm in the attributes' time
// zone (busy at lunch and in the evening, more at weekends), about 10% tests,
// 45% leads of which most left a contact, some refused or unavailable, units
// of 1 to 12, a mix of assessments.
type generator struct {
	opts  GenerateOptions
	a     *models.Attributes
	r     *rand.Rand
	loc   *time.Location
	now   time.Time
	width int
	// test contacts of the attributes, so some sessions are tests by contact
	testPhones, testEmails []string
}

func newGenerator(opts GenerateOptions, a *models.Attributes) *generator {
	g := &generator{opts: opts, a: a, r: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		loc: a.Location(), now: opts.Now.UTC().Truncate(time.Millisecond), width: len(strconv.Itoa(opts.Sessions))}
	for _, c := range a.TestContacts {
		if models.EmailKey(c) != "" {
			g.testEmails = append(g.testEmails, c)
		} else if models.PhoneKey(c) != "" {
			g.testPhones = append(g.testPhones, c)
		}
	}
	return g
}

// Relative traffic by local hour of day and by weekday (Monday first).
var (
	hourWeights = [24]float64{0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.4, 1.6, 2.0,
		2.2, 1.8, 1.4, 1.3, 1.6, 2.4, 3.0, 3.2, 2.8, 2.0, 1.2, 0.6}
	weekdayWeights = [7]float64{0.8, 0.9, 0.95, 1.0, 1.3, 1.4, 1.1}
)

// sessions yields opts.Sessions sessions in started_at order: the span is cut
// into hours, each hour gets its share of the sessions by weight (cumulative
// rounding makes the shares add up exactly), and each share is spread over
// its hour. Memory stays constant whatever the count.
func (g *generator) sessions() func(yield func(*models.Session) bool) {
	return func(yield func(*models.Session) bool) {
		slots := g.opts.Days * 24
		first := g.now.Truncate(time.Hour).Add(-time.Duration(slots-1) * time.Hour)
		weights := make([]float64, slots)
		noise := map[int]float64{}
		total := 0.0
		for i := range slots {
			start := first.Add(time.Duration(i) * time.Hour)
			lt := start.In(g.loc)
			day := lt.Year()*1000 + lt.YearDay()
			n, ok := noise[day]
			if !ok {
				n = 0.75 + 0.5*g.r.Float64()
				noise[day] = n
			}
			w := hourWeights[lt.Hour()] * weekdayWeights[(int(lt.Weekday())+6)%7] * n * (1 + 0.3*float64(i)/float64(slots))
			if i == slots-1 {
				w *= float64(g.now.Sub(start)) / float64(time.Hour)
			}
			weights[i] = w
			total += w
		}
		cum, emitted, n := 0.0, 0, 0
		offsets := make([]int64, 0, 64)
		for i, w := range weights {
			cum += w
			upto := int(float64(g.opts.Sessions)*cum/total + 0.5)
			if i == slots-1 {
				upto = g.opts.Sessions
			}
			count := upto - emitted
			emitted = upto
			if count <= 0 {
				continue
			}
			start := first.Add(time.Duration(i) * time.Hour)
			span := int64(time.Hour / time.Millisecond)
			if i == slots-1 {
				span = max(1, int64(g.now.Sub(start)/time.Millisecond))
			}
			offsets = offsets[:0]
			for range count {
				offsets = append(offsets, g.r.Int64N(span))
			}
			slices.Sort(offsets)
			for _, off := range offsets {
				n++
				if !yield(g.session(n, start.Add(time.Duration(off)*time.Millisecond))) {
					return
				}
			}
		}
	}
}

var (
	genFirstNames = []string{"Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
		"Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Ethan", "Evelyn", "Daniel", "Aisha", "Hiroshi", "Priya",
		"Carlos", "Fatima", "Wei", "Sofia", "Omar", "Chloe", "Jonas", "Grace", "Diego"}
	genLastNames = []string{"Smith", "Johnson", "Garcia", "Brown", "Miller", "Davis", "Rodriguez", "Martinez", "Lopez",
		"Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Lee", "Nguyen", "Patel", "Kim", "Chen",
		"Schmidt", "Rossi", "Kowalski", "Okafor", "Haddad", "Silva", "Cohen", "Ivanova", "Murphy", "Dubois"}
	genDomains  = []string{"example.com", "example.org", "example.net", "mail.example.com"}
	genChannels = []struct {
		name   string
		weight int
	}{{"phone", 60}, {"chat", 15}, {"whatsapp", 10}, {"sms", 8}, {"email", 5}, {"other", 2}}
	genDays     = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "tonight", "tomorrow"}
	genTimes    = []string{"12:00", "12:30", "13:00", "18:00", "18:30", "19:00", "19:30", "20:00", "20:30", "21:00"}
	genNonLeads = []string{"Asked about opening hours.", "Asked whether there are vegan options.", "Asked about parking nearby.",
		"Wrong number.", "Asked for the address.", "Asked whether dogs are allowed.", "Called to cancel an existing booking.",
		"Asked about gift vouchers.", "Supplier calling for the manager.", "Asked whether the kitchen is open late."}
	genRefusals = []string{"declined: the price was too high", "hung up before giving details", "declined: wanted a different area",
		"declined after hearing the deposit policy"}
	genComments = []string{"Agent handled the allergy question well.", "Caller sounded unsure; follow up.", "Perfect booking flow.",
		"Agent repeated itself twice.", "Should have offered the terrace.", "Great tone, quick booking.", "Mis-heard the party size at first."}
)

func (g *generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *generator) channel() string {
	n := g.r.IntN(100)
	for _, c := range genChannels {
		if n < c.weight {
			return c.name
		}
		n -= c.weight
	}
	return models.Channels[0]
}

// session draws the n-th session, started at t.
func (g *generator) session(n int, t time.Time) *models.Session {
	s := &models.Session{
		ExternalID: fmt.Sprintf("%s%0*d", g.opts.Prefix, g.width, n),
		StartedAt:  models.TS(t),
		Channel:    g.channel(),
		CreatedAt:  g.now,
		UpdatedAt:  g.now,
	}
	if !g.chance(0.05) { // a few sessions lack an end
		secs := 30 + g.r.IntN(600)
		if s.Channel == "chat" || s.Channel == "email" || s.Channel == "whatsapp" {
			secs += g.r.IntN(1200)
		}
		e := models.TS(t.Add(time.Duration(secs)*time.Second + time.Duration(g.r.IntN(1000))*time.Millisecond))
		s.EndedAt = &e
	}
	s.AutoIsLead = g.chance(0.45)
	contact := g.chance(0.35)
	if s.AutoIsLead {
		contact = g.chance(0.88)
		s.Refused = g.chance(0.10)
		s.Unavailable = !s.Refused && g.chance(0.12)
	} else {
		s.Refused = g.chance(0.15)
		s.Unavailable = g.chance(0.05)
	}
	first, last := g.pick(genFirstNames), g.pick(genLastNames)
	if contact || g.chance(0.3) {
		s.CallerName = first + " " + last
	}
	if contact {
		kind := g.r.IntN(100)
		if s.Channel == "email" {
			kind = 60
		}
		if kind < 80 {
			s.CallerPhone = fmt.Sprintf("+1 (%03d) 555-%04d", 201+g.r.IntN(780), g.r.IntN(10000))
		}
		if kind >= 55 {
			s.CallerEmail = fmt.Sprintf("%s.%s%d@%s", strings.ToLower(first), strings.ToLower(last), g.r.IntN(100), g.pick(genDomains))
		}
	}
	switch {
	case len(g.testPhones)+len(g.testEmails) > 0 && g.chance(0.03):
		if len(g.testPhones) > 0 && (len(g.testEmails) == 0 || g.chance(0.5)) {
			s.CallerPhone = g.pick(g.testPhones)
		} else {
			s.CallerEmail = g.pick(g.testEmails)
		}
		s.CallerName = "Test Caller"
	case len(g.testPhones)+len(g.testEmails) > 0:
		s.AutoIsTest = g.chance(0.07)
	default:
		s.AutoIsTest = g.chance(0.10)
	}
	if s.AutoIsLead || g.chance(0.15) {
		if !s.AutoIsLead || g.chance(0.95) {
			u := models.Centi(1+min(g.r.IntN(6)+g.r.IntN(6)+g.r.IntN(2), 11)) * models.CentiOne
			if !g.opts.Demo && g.chance(0.08) {
				u += models.Centi(25 * (1 + g.r.IntN(3))) // .25, .5 or .75
			}
			s.Units = &u
		}
	}
	good := s.AutoIsLead && !s.Refused && !s.Unavailable
	x := g.r.IntN(100)
	switch {
	case good && x < 50, !good && x < 15:
		s.AutoAgentSuccess = models.SuccessYesA
	case good && x < 75, !good && x < 35:
		s.AutoAgentSuccess = models.SuccessYesB
	case good && x < 85, !good && x < 80:
		s.AutoAgentSuccess = models.SuccessNo
	}
	s.Summary = g.summary(s)
	if g.opts.Demo {
		s.Transcript = g.transcript(s)
	} else {
		g.human(s)
	}
	return s
}

func (g *generator) units(s *models.Session) string {
	if s.Units == nil {
		return ""
	}
	return s.Units.String() + " " + g.a.UnitLabel
}

func (g *generator) summary(s *models.Session) string {
	when := g.pick(genDays) + " at " + g.pick(genTimes)
	switch {
	case s.AutoIsTest:
		return "Test call to check the agent."
	case !s.AutoIsLead:
		return g.pick(genNonLeads)
	case s.Refused:
		return "Asked to book for " + cmpOr(g.units(s), "a group") + " " + when + "; " + g.pick(genRefusals) + "."
	case s.Unavailable:
		return "Wanted " + cmpOr(g.units(s), "a booking") + " " + when + "; nothing was free, offered another time."
	case s.CallerPhone == "" && s.CallerEmail == "":
		return "Interested in " + cmpOr(g.units(s), "a booking") + " " + when + " but left no contact."
	default:
		return "Booked " + cmpOr(g.units(s), "a table") + " for " + when + "."
	}
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func (g *generator) transcript(s *models.Session) string {
	var b strings.Builder
	b.WriteString("AI: Thank you for calling, how can I help you today?\n")
	switch {
	case !s.AutoIsLead:
		b.WriteString("Caller: " + strings.TrimSuffix(strings.Replace(s.Summary, "Asked", "I wanted to ask", 1), ".") + ".\n")
		b.WriteString("AI: Of course, let me help you with that.\n")
	default:
		b.WriteString("Caller: I'd like to book for " + cmpOr(g.units(s), "a few people") + ".\n")
		b.WriteString("AI: Let me check availability for you.\n")
		switch {
		case s.Unavailable:
			b.WriteString("AI: I'm sorry, we are fully booked then. Could another time work?\n")
			b.WriteString("Caller: No, thanks anyway.\n")
		case s.Refused:
			b.WriteString("Caller: Actually, never mind.\n")
		default:
			b.WriteString("AI: That works. May I have a name and a number or email?\n")
			b.WriteString("Caller: " + cmpOr(s.CallerName, "Sure") + ", " + cmpOr(s.CallerPhone, s.CallerEmail) + ".\n")
			b.WriteString("AI: You're all set, see you then!\n")
		}
	}
	b.WriteString("Caller: Thanks, bye.")
	return b.String()
}

// human sets the reviewer part on a share of the sessions, respecting that
// only a lead can be an opportunity.
func (g *generator) human(s *models.Session) {
	if g.chance(0.30) {
		stars := 1 + g.r.IntN(5)
		if s.AutoAgentSuccess == models.SuccessYesA || s.AutoAgentSuccess == models.SuccessYesB {
			stars = max(stars, 3+g.r.IntN(3))
		}
		s.Stars = &stars
		if g.chance(0.2) {
			c := g.pick(genComments)
			s.Comment = &c
		}
	}
	if g.chance(0.04) {
		codes := []string{models.SuccessYesA, models.SuccessYesB, models.SuccessNo}
		c := codes[g.r.IntN(3)]
		if c == s.AutoAgentSuccess {
			c = codes[(g.r.IntN(2)+1+slices.Index(codes, c))%3]
		}
		s.HumanAgentSuccess = &c
	}
	if g.chance(0.01) {
		v := !s.AutoIsTest
		s.HumanIsTest = &v
	}
	if g.chance(0.01) {
		v := !s.AutoIsLead
		s.HumanIsLead = &v
	}
	if lead := models.EffectiveIsLead(s); lead && g.chance(0.02) {
		v := !models.EffectiveIsOpportunity(s)
		s.HumanIsOpportunity = &v
	}
}
