package extract

import (
	"github.com/scoutdev/scout/internal/scout"
)

// Mention reads an item the rules call no opportunity but that may still
// speak of one: a reminder ("one week left"), a social post ("apply by
// 3/3"), a portal's listing without a kind word. It is read as one listed
// call is (see extractDoc): when it states a deadline of its own, the call
// it names has that deadline, sums and funder. It returns nil for an item
// with no deadline of its own, and for one that reads as news or as a
// closed call (its results, its winners, "applications are now closed"),
// which speaks of an opportunity no one can apply to.
func Mention(it *scout.Item) *scout.Call {
	d := newDoc(input(it))
	r := d.rules()
	if len(r.veto.find(d.lower, d.tokens())) > 0 || d.newsScore(r) > 0 {
		return nil
	}
	o, _ := extractDoc(d, true)
	if o.Kind == scout.KindNone || o.Kind == scout.KindUnknown || o.Deadline.IsZero() {
		return nil
	}
	return &scout.Call{Title: it.Title, Opportunity: o}
}
