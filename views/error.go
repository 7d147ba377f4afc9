package views

import (
	"context"
	"strconv"
)

// errorMeta is the layout of the error page: the request's user if known,
// no flashes (they wait for the next real page).
func errorMeta(ctx context.Context, v ErrorView) PageMeta {
	m := MetaFrom(ctx)
	m.Title = strconv.Itoa(v.Status) + " " + v.Title
	m.Active = ""
	m.Flashes = nil
	return m
}
