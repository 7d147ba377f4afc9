package views

import "asrboard/models"

// ReviewQueueView is the content of /review: the leads still waiting for a
// human assessment, oldest first.
type ReviewQueueView struct {
	// Left is how many are waiting; FirstHref opens the oldest ("" when none).
	Left      models.Count
	FirstHref string
	Rows      []QueueRow
	// More is set when the list shows only the oldest of them.
	More bool
}

// QueueRow is one waiting lead.
type QueueRow struct {
	ID                  int64
	Href                string
	Started, StartedISO string
	Channel             string
	Contact             string
	Summary             string
	LeadValue           string
	AutoSuccess         string
}

// LeftText says how many leads wait for a review.
func (v ReviewQueueView) LeftText() string {
	switch {
	case v.Left.N == 0:
		return "Nothing to review: every lead has a human assessment."
	case v.Left.N == 1 && !v.Left.Capped:
		return "1 lead waits for a review."
	}
	return FormatMatches(v.Left) + " leads wait for a review."
}
