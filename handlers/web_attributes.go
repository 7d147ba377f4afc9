package handlers

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"asrboard/models"
	"asrboard/views"
)

// attributesHistoryLimit is how many attribute changes the page lists.
const attributesHistoryLimit = 50

// attributesMeta is the layout's part of the attributes page.
var attributesMeta = views.PageMeta{Title: "Attributes", Active: views.NavAttributes}

// attributesPage is GET /attributes: the saved attributes in the form.
func (p *adminPages) attributesPage(c echo.Context) error {
	a, err := p.store.Attributes(c.Request().Context())
	if err != nil {
		return err
	}
	return p.renderAttributes(c, http.StatusOK, attributesFormOf(a), nil, views.AttributesPreview{})
}

// saveAttributes is POST /attributes: valid input is saved (every session
// recomputed in the same transaction) and the page is shown again with a
// flash; invalid input comes back as typed with each message beside its
// field, and nothing is saved.
func (p *adminPages) saveAttributes(c echo.Context) error {
	form := readAttributesForm(c)
	a, errs := form.Validate()
	if len(errs) > 0 {
		return p.renderAttributes(c, http.StatusUnprocessableEntity, form, errs, views.AttributesPreview{})
	}
	who, err := webActor(c)
	if err != nil {
		return err
	}
	if _, err := p.store.SaveAttributes(c.Request().Context(), who, &a); err != nil {
		if errs := attributeErrors(err); errs != nil {
			return p.renderAttributes(c, http.StatusUnprocessableEntity, form, errs, views.AttributesPreview{})
		}
		return err
	}
	if err := p.flash(c, views.FlashSuccess, "Attributes saved; every session was recomputed with them."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/attributes")
}

// previewAttributes is POST /attributes/preview: what the typed attributes
// would make of the last 30 days, nothing saved. htmx gets the preview box
// alone; a plain form post gets the whole page with the form as typed.
func (p *adminPages) previewAttributes(c echo.Context) error {
	form := readAttributesForm(c)
	a, errs := form.Validate()
	status := http.StatusOK
	var preview views.AttributesPreview
	if len(errs) > 0 {
		preview = previewErrors(errs)
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		if preview, err = p.preview(c.Request().Context(), &a); err != nil {
			if errs = attributeErrors(err); errs == nil {
				return err
			}
			preview, status = previewErrors(errs), http.StatusUnprocessableEntity
		}
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		// htmx swaps only 2xx answers; the box itself says what is wrong.
		return render(c, http.StatusOK, views.AttributesPreviewBox(preview))
	}
	return p.renderAttributes(c, status, form, errs, preview)
}

// preview compares the totals of the last 30 days (read in a's time zone,
// up to now) as stored with what a would make of them.
func (p *adminPages) preview(ctx context.Context, a *models.Attributes) (views.AttributesPreview, error) {
	loc := a.Location()
	now := p.now()
	period, err := models.ResolvePeriod(models.Period30Days, "", "", now, loc)
	if err != nil {
		return views.AttributesPreview{}, err
	}
	from, to := *period.From, now
	cur, err := p.store.Attributes(ctx)
	if err != nil {
		return views.AttributesPreview{}, err
	}
	before, err := p.store.Totals(ctx, &from, &to)
	if err != nil {
		return views.AttributesPreview{}, err
	}
	after, err := p.store.PreviewAttributes(ctx, a, &from, &to)
	if err != nil {
		return views.AttributesPreview{}, err
	}
	return views.AttributesPreview{
		Shown: true,
		Range: models.RangeLabel(&from, &to, loc),
		From:  from.UTC().Format(time.RFC3339Nano),
		To:    to.UTC().Format(time.RFC3339Nano),
		Rows:  previewRows(before, after, cur.Currency, a.Currency),
	}, nil
}

// renderAttributes shows the attributes page with the form as given, the
// preview box and the history of changes.
func (p *adminPages) renderAttributes(c echo.Context, status int, form attributesForm, errs map[string]string, preview views.AttributesPreview) error {
	ctx := c.Request().Context()
	cur, err := p.store.Attributes(ctx)
	if err != nil {
		return err
	}
	entries, err := p.store.Audit(ctx, models.EntityAttributes, 1, attributesHistoryLimit)
	if err != nil {
		return err
	}
	v := views.AttributesView{
		CSRF:      csrfToken(c),
		Form:      form.view(errs),
		Invalid:   errorList(errs),
		Preview:   preview,
		History:   attributeHistory(entries, cur),
		Timezones: commonTimezones,
	}
	return p.page(c, status, attributesMeta, views.AttributesPage(v))
}

// attributeErrors maps the field errors of a store error to the form's
// inputs; nil when err is not an invalid-input error.
func attributeErrors(err error) map[string]string {
	if models.ErrorCode(err) != models.CodeInvalid {
		return nil
	}
	var e *models.Error
	errs := map[string]string{}
	if errors.As(err, &e) {
		for _, fe := range e.Details {
			field, msg := attributeFormField(fe, nil)
			if prev := errs[field]; prev != "" {
				msg = prev + "; " + msg
			}
			errs[field] = msg
		}
	}
	if len(errs) == 0 {
		errs[views.AttrCurrency] = err.Error()
	}
	return errs
}
