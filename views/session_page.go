package views

import (
	"strconv"

	"asrboard/models"
)

// SessionPageView is the content of /sessions/{id}: every field, the ASR
// formula with this session's numbers, the review controls and the audit
// history.
type SessionPageView struct {
	ID         int64
	ExternalID string
	// Heading is the caller's name, or the channel and time when unnamed.
	Heading string
	// BackHref and BackLabel lead back to the table or the queue.
	BackHref, BackLabel string
	Started, StartedISO string
	Channel             string
	Name, Phone, Email  string
	Summary, Transcript string
	// Call lists the rest of the auto part (ended, units, flags, the AI's
	// assessment) as label and value.
	Call    []Fact
	Figures SessionFigures
	Review  ReviewPanel
	Audit   AuditView
	// Queue is set when the page was opened from the review queue.
	Queue *QueueNav
}

// Fact is one labelled value of a definition list; Key names it in
// data-testid="fact-<Key>".
type Fact struct {
	Key, Label, Value string
}

// SessionFigures are the derived fields and the ASR formula; the review
// answer swaps them out of band so the figures follow a change.
type SessionFigures struct {
	ASR string
	// Formula is the product written out: "$260.00 × 1 × 90% × 1 × 30% = $70.20".
	Formula string
	// Factors say why each factor of the formula has its value.
	Factors []Factor
	// Note explains an ASR that is not the product (a test session).
	Note    string
	Derived []Fact
}

// Factor is one factor of the ASR formula and the reason for its value.
type Factor struct {
	Key, Name, Value, Why string
}

// ReviewPanel holds the review controls, or for a role that may not review
// the same values read-only.
type ReviewPanel struct {
	// Action is where every control posts: /sessions/{id}/review.
	Action    string
	CanReview bool
	CSRF      string
	// Queue keeps the page in review-queue mode after a post.
	Queue    bool
	Controls []ReviewControl
	Comment  string
	// CommentError is the message beside the comment.
	CommentError string
	// Saved confirms what the last post changed ("" when nothing was posted).
	Saved string
}

// ReviewControl is one human field chosen among fixed values; the value ""
// clears the override ("auto").
type ReviewControl struct {
	Field, Label string
	Options      []Option
	// Current says in words what is in force ("Auto: no", "Yes (reviewer)").
	Current string
	Error   string
}

// AuditView is the audit history of the session's human part, newest first.
type AuditView struct {
	Rows []AuditRow
	// More is set when only the newest entries are shown.
	More bool
}

// AuditRow is one human change: who, when, field, old → new.
type AuditRow struct {
	Actor, At, AtISO, Field, Old, New string
}

// QueueNav is the review-queue navigation of a session page: how many are
// left, and the next one to open.
type QueueNav struct {
	Left     models.Count
	NextHref string
}

// LeftText says how many sessions are left in the queue.
func (q QueueNav) LeftText() string {
	switch {
	case q.Left.N == 0:
		return "The queue is empty"
	case q.Left.N == 1 && !q.Left.Capped:
		return "1 session left in the queue"
	}
	return FormatMatches(q.Left) + " sessions left in the queue"
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
