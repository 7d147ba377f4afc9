package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// reviewSessionForm is POST /sessions/{id}/review (owners and reviewers):
// any of the fields is_test, is_lead, is_opportunity, agent_success, stars
// and comment, an empty value clearing the override. Each control of the
// page posts one of them.
//
// A plain form post is answered the POST/redirect/GET way with a flash, or
// with the page again (422) showing the error beside the control. An htmx
// post (HX-Request) gets the review panel back, with the figures, audit
// history and queue count swapped out of band; errors come in the same
// fragment with a 200, because htmx swaps no error answer by default.
// Nothing is stored when anything is invalid.
func (p *sessionPages) reviewSessionForm(c echo.Context) error {
	ctx := c.Request().Context()
	sess, a, err := p.sessionOfPath(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	queue := form.Get("queue") == "1"
	errs := views.FieldErrors{}
	patch, fe := models.DecodeReviewForm(form)
	addFieldErrors(errs, models.Invalid("invalid review", fe...))
	saved := ""
	if len(errs) == 0 {
		preview := *sess
		changes, _ := patch.ApplyHuman(&preview) // for the message; the store applies it in its transaction
		who, err := webActor(c)
		if err != nil {
			return err
		}
		updated, err := p.store.Review(ctx, who, sess.ExternalID, patch)
		switch {
		case models.ErrorCode(err) == models.CodeInvalid:
			addFieldErrors(errs, err)
		case err != nil:
			return err
		default:
			sess, saved = updated, savedMessage(changes)
		}
	}
	htmx := c.Request().Header.Get("HX-Request") == "true"
	if len(errs) == 0 && !htmx {
		if err := p.flash(c, views.FlashSuccess, saved); err != nil {
			return err
		}
		target := "/sessions/" + itoa(sess.ID)
		if queue {
			target = queueHref(sess.ID)
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
	v, err := p.sessionView(c, sess, a, queue)
	if err != nil {
		return err
	}
	v.Review = keepTyped(v.Review, form, errs)
	if len(errs) == 0 {
		v.Review.Saved = saved
	}
	if htmx {
		return render(c, http.StatusOK, views.ReviewFragment(v))
	}
	return p.page(c, http.StatusUnprocessableEntity, sessionMeta(v), views.SessionPage(v))
}

// reviewLabels name the human fields for people.
var reviewLabels = map[string]string{
	"is_test": "Test session", "is_lead": "Lead", "is_opportunity": "Opportunity",
	"agent_success": "Human assessment", "stars": "Conversation quality", "comment": "Comment",
}

func reviewLabel(field string) string {
	if l, ok := reviewLabels[field]; ok {
		return l
	}
	return field
}

// humanValue writes an audited value ("null", "true", a code, a number) for
// people: null is the automatic value for flags and the assessment.
func humanValue(field, v string) string {
	switch {
	case v == "null" && field == "stars":
		return "none"
	case v == "null" && field == "comment":
		return "no comment"
	case v == "null":
		return "auto"
	case v == "true":
		return "yes"
	case v == "false":
		return "no"
	case field == "stars":
		return v + "★"
	case field == "comment":
		return strconv.Quote(truncateText(v, 60))
	}
	return v
}

// savedMessage says what a review changed.
func savedMessage(changes []models.Change) string {
	if len(changes) == 0 {
		return "Nothing changed."
	}
	parts := make([]string, len(changes))
	for i, ch := range changes {
		if ch.Field == "comment" {
			parts[i] = "comment updated"
			continue
		}
		parts[i] = reviewLabel(ch.Field) + " → " + humanValue(ch.Field, ch.New)
	}
	return "Review saved: " + strings.Join(parts, ", ") + "."
}

// reviewPanel fills the review controls with the human part in force, each
// "auto" choice saying what the automatic value is.
func reviewPanel(s *models.Session, a *models.Attributes, canReview bool, csrf string, queue bool) views.ReviewPanel {
	auto := *s
	auto.HumanIsTest, auto.HumanIsLead, auto.HumanAgentSuccess = nil, nil, nil
	autoOpp := *s
	autoOpp.HumanIsOpportunity = nil
	flag := func(field string, human *bool, autoValue bool) views.ReviewControl {
		c := views.ReviewControl{Field: field, Label: reviewLabel(field), Options: []views.Option{
			{Value: "", Label: "Auto (" + yesNo(autoValue) + ")"}, {Value: "true", Label: "Yes"}, {Value: "false", Label: "No"}}}
		cur := ""
		c.Current = "auto: " + yesNo(autoValue)
		if human != nil {
			cur = strconv.FormatBool(*human)
			c.Current = yesNo(*human) + ", set by a reviewer"
		}
		pick(c.Options, cur)
		return c
	}
	as := views.ReviewControl{Field: "agent_success", Label: reviewLabel("agent_success"),
		Options: []views.Option{{Value: "", Label: "Auto (" + orNone(s.AutoAgentSuccess, "none") + ")"}}}
	for _, code := range models.AgentSuccessCodes {
		as.Options = append(as.Options, views.Option{Value: code, Label: code})
	}
	pick(as.Options, deref(s.HumanAgentSuccess))
	as.Current = "auto: " + orNone(s.AutoAgentSuccess, "none")
	if s.HumanAgentSuccess != nil {
		as.Current = *s.HumanAgentSuccess + ", set by a reviewer"
	}
	stars := views.ReviewControl{Field: "stars", Label: reviewLabel("stars"), Options: []views.Option{{Value: "", Label: "None"}}}
	for n := 1; n <= 5; n++ {
		stars.Options = append(stars.Options, views.Option{Value: strconv.Itoa(n), Label: strconv.Itoa(n) + "★"})
	}
	stars.Current = "not rated"
	if s.Stars != nil {
		pick(stars.Options, strconv.Itoa(*s.Stars))
		stars.Current = strconv.Itoa(*s.Stars) + " of 5"
	} else {
		pick(stars.Options, "")
	}
	return views.ReviewPanel{
		Action:    "/sessions/" + itoa(s.ID) + "/review",
		CanReview: canReview,
		CSRF:      csrf,
		Queue:     queue,
		Controls: []views.ReviewControl{
			flag("is_test", s.HumanIsTest, models.EffectiveIsTest(&auto, a)),
			flag("is_lead", s.HumanIsLead, auto.AutoIsLead),
			flag("is_opportunity", s.HumanIsOpportunity, models.EffectiveIsOpportunity(&autoOpp)),
			as,
			stars,
		},
		Comment: deref(s.Comment),
	}
}

// keepTyped shows a rejected review as it was typed, each message beside
// its control.
func keepTyped(p views.ReviewPanel, form url.Values, errs views.FieldErrors) views.ReviewPanel {
	if len(errs) == 0 {
		return p
	}
	for i := range p.Controls {
		c := &p.Controls[i]
		c.Error = errs[c.Field]
		if vs, ok := form[c.Field]; ok && len(vs) > 0 {
			typed := vs[len(vs)-1]
			if c.Field != "agent_success" && c.Field != "stars" {
				typed = boolWord(typed)
			} else if code, ok := models.NormaliseAgentSuccess(typed); ok {
				typed = code
			}
			pick(c.Options, strings.TrimSpace(typed))
		}
	}
	if vs, ok := form["comment"]; ok && len(vs) > 0 {
		p.Comment = vs[len(vs)-1]
	}
	p.CommentError = errs["comment"]
	return p
}
