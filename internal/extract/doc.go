// Package extract owns Scout's built-in opportunity extraction rules, named
// "rules/1": deterministic, pure functions that read an item's title, plain
// text, categories and publish date and fill the scout.Opportunity facet
// (kind, deadline, opening date, rolling flag, award amount, funder, location,
// eligibility hints, disciplines) plus the item's entities (funder as an
// organization, location as a place, disciplines as topics).
//
// Conventions the rules follow, so that consumers can rely on them:
//
//   - Deadline is the application deadline (CommonGrants' appDeadline). When
//     a text names a letter of intent, letter of inquiry or expression of
//     interest date and, in the same paragraph, a later full application
//     date, Deadline is the full application's and the first stage is a key
//     date labelled "letter of intent"; a first stage with no dated full
//     application is the deadline. When a text names early, regular and
//     final tiers, Deadline is the final one.
//   - A date with no time means 23:59:59 in the stated zone, UTC when no zone is
//     given. A time stated without a zone is the funder's local time: the zone
//     of the country the text places the call in, by the places it names in any
//     language or else by its language and currency (an Italian call in euros),
//     when that country keeps one zone; a country of several (the United
//     States, Canada, Australia, Brazil, Mexico) gives none unless a place names
//     one (Hawaii, Toronto, Mexico City). OpensAt means 00:00:00. "Midnight" on a date is 23:59:59 of that
//     date. Generic zone names (ET, PT, CT, MT, "Eastern", "UK time") follow the
//     zone's daylight-saving rules; abbreviations (EST, EDT, CET, CEST, BST,
//     AEST, AEDT, JST ...) mean their literal offset.
//   - A year-less date is the next occurrence on or after the publish date.
//     Slash dates are month/day unless the day cannot be a month or the text is
//     priced in pounds or euros.
//   - AmountMin and AmountMax are whole units of Currency (ISO 4217). "Up to X"
//     gives AmountMin 0. Prize tiers are "up to" the top prize: "First prize
//     $1,000, second $300, third $150", "1st: $500 | 2nd: $250", a "top prize"
//     beside a pool, and runners-up, honourable or highly commended mentions
//     and finalists' fees give AmountMin 0 and AmountMax the first prize (the
//     independent labelled sets read tiers so). Several awards of one rank
//     (grants "from $500 to $2,000") give the smallest and largest. Entry
//     and application fees, total pools ("a total of $1M across 20 awards"),
//     costs and per-hour or per-word rates are never an award. A bare "$" is
//     USD unless the text places the opportunity in Canada, Australia or New
//     Zealand.
//   - Items that are not opportunities (news, events, reports, announcements
//     of awards already made) get scout.KindNone and no deadline, amount or
//     funder.
//
// Beside the rules, a small logistic model embedded in the binary
// (kindmodel.bin, trained by go generate on the dev, own, cases and holdout
// sets and testdata/train) sets the kind of an item the rules read as an
// opportunity when it is at least 0.8 sure, and where the rules' evidence
// is weak says whether it is one at all when it is at least 0.9 sure; a
// funder ranker (funderrank.bin, trained on the same sets) replaces a funder the rules read with
// less than 0.85 confidence when it is at least 0.4 sure of another name.
// Both are deterministic, and a test fails when a shipped file is not
// what its training sets give.
//
// The text scanned is bounded (MaxText bytes). Regular expressions are compiled
// once at package level. The package imports only scout and the standard
// library, and performs no I/O.
package extract
