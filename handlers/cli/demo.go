package cli

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"

	"asrboard/models"
	"asrboard/storage"
)

// Demo logins; the passwords are random on every seeding.
const (
	demoOwner    = "owner@demo.test"
	demoStaff    = "staff@demo.test"
	demoReviewer = "reviewer@demo.test"
)

// maxDemoReviews caps the reviews the demo applies one by one through
// store.Review, so a large --sessions stays quick.
const maxDemoReviews = 3000

func runDemo(ctx context.Context, e *env, args []string) error {
	fs, db := newFlagSet(e, "demo", "[--addr 127.0.0.1:8080] [--sessions 2000]")
	sf := addServeFlags(fs)
	n := fs.Int("sessions", 2000, "number of demo sessions over the last 90 days")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if *n < 1 || *n > maxGenerate {
		return usagef("--sessions must be from 1 to %d, got %d", maxGenerate, *n)
	}
	logger, err := sf.logger(e)
	if err != nil {
		return err
	}
	store, err := db.open(ctx, e, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return err
	}
	if empty {
		if err := seedDemo(ctx, e, store, *n, sf.addr); err != nil {
			return fmt.Errorf("seeding the demo failed (remove the database and run demo again): %w", err)
		}
	} else {
		fmt.Fprintln(e.stderr, "The database already has users or sessions: no demo data added; serving it as it is.")
	}
	return serve(ctx, e, store, sf.addr, logger)
}

// demoAttributes are those of a restaurant in New York: per-guest lead
// values, the AI answers first, open for lunch and dinner Tuesday to Sunday.
func demoAttributes() *models.Attributes {
	a := models.DefaultAttributes()
	a.Currency = "USD"
	a.LeadValueMethod = models.MethodPerUnit
	a.AverageLeadValueCents = 19500 // for a booking without a party size: three guests
	a.UnitLabel = "guests"
	a.UnitPriceCents = 6500
	a.ConversionRatio = 90 * models.CentiOne
	a.RedirectionType = models.RedirectNonOverflow
	a.RecognitionPercent = 30 * models.CentiOne
	a.Timezone = "America/New_York"
	a.WorkingHours = models.WorkingHours{}
	for d := 1; d < 7; d++ { // Tuesday to Sunday
		a.WorkingHours[d] = []models.Interval{{Start: 11*60 + 30, End: 14*60 + 30}, {Start: 17 * 60, End: 22 * 60}}
	}
	a.TestContacts = []string{"+1 (555) 010-0000", "qa@demo.test"}
	return &a
}

type demoLogin struct {
	email    string
	role     models.Role
	password string
}

// seedDemo fills an empty database: attributes, users, a token, sessions, and
// reviews applied as the demo reviewer so they show in the audit log.
func seedDemo(ctx context.Context, e *env, store *storage.Store, n int, addr string) error {
	if _, err := store.SaveAttributes(ctx, "demo", demoAttributes()); err != nil {
		return err
	}
	logins := []demoLogin{{email: demoOwner, role: models.RoleOwner}, {email: demoStaff, role: models.RoleStaff}, {email: demoReviewer, role: models.RoleReviewer}}
	for i := range logins {
		pw, err := models.RandomPassword()
		if err != nil {
			return err
		}
		if _, err := store.CreateUser(ctx, logins[i].email, pw, logins[i].role); err != nil {
			return err
		}
		logins[i].password = pw
	}
	token, _, err := store.CreateToken(ctx, "demo", models.RoleOwner)
	if err != nil {
		return err
	}
	seed := 1 + rand.Uint64N(999_999_999)
	progress, finish := generateProgress(e, n, "demo sessions")
	err = store.Generate(ctx, storage.GenerateOptions{Sessions: n, Days: 90, Seed: seed, Prefix: "demo-", Demo: true}, progress)
	finish()
	if err != nil {
		return err
	}
	reviewed, err := demoReviews(ctx, store, n, seed)
	if err != nil {
		return err
	}
	printDemo(e.stdout, n, reviewed, logins, token, addr)
	return nil
}

// demoReviews rates about 30% of the sessions (at most maxDemoReviews) and
// overrides the assessment, test or lead flags on some, through store.Review.
func demoReviews(ctx context.Context, store *storage.Store, n int, seed uint64) (int, error) {
	r := rand.New(rand.NewPCG(seed, 0xdeadbeef))
	want := min(n*3/10, maxDemoReviews)
	p := float64(want) / float64(n)
	var picked []*models.Session
	err := store.EachSession(ctx, storage.SessionFilter{}, func(s *models.Session) error {
		if r.Float64() < p {
			c := *s
			picked = append(picked, &c)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, s := range picked {
		if _, err := store.Review(ctx, demoReviewer, s.ExternalID, demoPatch(r, s)); err != nil {
			return 0, fmt.Errorf("review %s: %w", s.ExternalID, err)
		}
	}
	return len(picked), nil
}

// demoPatch is one reviewer's verdict: stars that follow the agent's success,
// often a confirmation of the AI's assessment or lead flag, and now and then
// a different assessment, a comment, a test, opportunity or lead fix.
func demoPatch(r *rand.Rand, s *models.Session) models.HumanPatch {
	stars := 1 + r.IntN(3)
	if s.AgentSuccess == models.SuccessYesA || s.AgentSuccess == models.SuccessYesB {
		stars = 3 + r.IntN(3)
	}
	p := models.HumanPatch{Stars: models.OptInt{Set: true, Value: &stars}}
	comment := func(c string) { p.Comment = models.OptString{Set: true, Value: &c} }
	yes, no := true, false
	// Reviewers mostly confirm the AI's verdicts, so the dashboard's
	// agreement figure has something realistic to show.
	if s.AutoAgentSuccess != "" && r.IntN(100) < 40 {
		c := s.AutoAgentSuccess
		p.AgentSuccess = models.OptString{Set: true, Value: &c}
	}
	if r.IntN(100) < 15 {
		v := s.AutoIsLead
		p.IsLead = models.OptBool{Set: true, Value: &v}
	}
	switch x := r.IntN(100); {
	case x < 12:
		codes := []string{models.SuccessYesA, models.SuccessYesB, models.SuccessNo}
		c := codes[r.IntN(3)]
		if c == s.AgentSuccess {
			c = codes[(slices.Index(codes, c)+1)%3]
		}
		p.AgentSuccess = models.OptString{Set: true, Value: &c}
		comment("Assessment corrected after listening to the call.")
	case x < 20:
		comment([]string{"Lovely tone, quick booking.", "Should have offered the terrace.",
			"Handled the allergy question well.", "Asked for the phone number twice."}[r.IntN(4)])
	case x < 23 && !s.IsTest:
		p.IsTest = models.OptBool{Set: true, Value: &yes}
		comment("Staff trying out the agent.")
	case x < 27 && s.IsLead:
		v := s.IsOpportunity != (r.IntN(2) == 0) // half confirm, half correct
		p.IsOpportunity = models.OptBool{Set: true, Value: &v}
		comment("Opportunity flag checked against the booking book.")
	case x < 30 && s.IsLead && !s.IsOpportunity:
		p.IsLead = models.OptBool{Set: true, Value: &no}
		comment("Only asked about prices; not a real lead.")
	}
	return p
}

func printDemo(w io.Writer, n, reviewed int, logins []demoLogin, token, addr string) {
	base := "http://" + addr
	if strings.HasPrefix(addr, ":") {
		base = "http://localhost" + addr
	}
	fmt.Fprintf(w, "Demo data created: a restaurant in New York with %d sessions over the last 90 days, %d reviewed.\n\n", n, reviewed)
	fmt.Fprintf(w, "Logins for %s/login (passwords are shown only now):\n", base)
	for _, l := range logins {
		fmt.Fprintf(w, "  %-20s %-18s %s\n", l.email, l.password, l.role)
	}
	fmt.Fprintf(w, "\nAPI token (role owner):\n  %s\n\nTry:\n  curl -H \"Authorization: Bearer %s\" %s/api/v1/dashboard\n\n", token, token, base)
}
