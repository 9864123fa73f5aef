package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/scoutdev/scout/internal/scout"
)

// A digest is a newsletter or round-up that lists several calls, each with
// its own deadline: the item as a whole is a call to read, but no single
// deadline, sum or funder is its own.

// subscriptionWords mark a mailing (its unsubscribe footer).
var subscriptionWords = newLexicon("unsubscribe", "manage subscription", "manage your subscription", "update preferences",
	"subscribed", "newsletter abbestellen", "abbestellen", "abmelden", "se désinscrire", "se désabonner", "désinscription",
	"darse de baja", "darte de baja", "cancelar subscrição", "cancelar inscrição", "deixar de receber", "cancellati",
	"disiscriviti", "afmelden", "uitschrijven", "avsluta prenumeration", "avprenumerera", "forward to a friend",
	"view in browser", "nieuwsbrief", "nyhetsbrev", "newsletter", "boletim", "boletín", "digest", "round-up", "roundup")

// digestKind returns the kind of a digest: the kind every listed call
// shares, or call when they differ. ok is false when the item is not a
// digest.
func digestKind(d *doc, ms []mention) (scout.Kind, bool) {
	if len(subscriptionWords.find(d.lower, d.tokens())) == 0 {
		return "", false
	}
	blocks := blockStarts(d.lower)
	type entry struct {
		block int
		date  [3]int
	}
	var seen []entry
	for i := range ms {
		m := &ms[i]
		if m.role != roleDeadline || m.score < 2 || m.start < d.titleEnd || m.window {
			continue // a window is the sender's own reading period, not a listed call
		}
		if clause := d.lower[clauseStart(d.lower, m.start, 120):m.start]; tierRe.MatchString(clause) || intentRe.MatchString(clause) {
			continue // the stages of one call
		}
		b := blockOf(blocks, m.start)
		if !headingLine(d.text[blocks[b]:]) {
			continue // a listed call starts with its own heading
		}
		dup := false
		for _, e := range seen {
			if e.block == b || e.date == [3]int{m.y, int(m.m), m.d} {
				dup = true
			}
		}
		if !dup {
			seen = append(seen, entry{b, [3]int{m.y, int(m.m), m.d}})
		}
	}
	if len(seen) < 2 {
		return "", false
	}
	r := d.rules()
	students, contestish := studentsNamed(d), len(contestCues.find(d.lower, d.tokens())) > 0
	blockKind := map[int]map[scout.Kind]float64{}
	for _, h := range r.kinds.find(d.lower, d.tokens()) {
		if h.start < d.titleEnd {
			continue
		}
		k, w := r.kindOfPhrase(h.phrase, students, contestish)
		if k == scout.KindUnknown {
			continue
		}
		b := blockOf(blocks, h.start)
		if blockKind[b] == nil {
			blockKind[b] = map[scout.Kind]float64{}
		}
		blockKind[b][k] += w
	}
	withKind := 0
	for _, e := range seen {
		if len(blockKind[e.block]) > 0 {
			withKind++
		}
	}
	if withKind < 1 {
		return "", false // dates of one call, not several calls
	}
	var common scout.Kind
	for _, e := range seen {
		best, bestW := scout.Kind(""), 0.0
		for _, k := range kindOrder {
			if w := blockKind[e.block][k]; w > bestW {
				best, bestW = k, w
			}
		}
		if best == "" || common != "" && best != common {
			return scout.KindCall, true
		}
		common = best
	}
	return common, true
}

// blockStarts returns where the blocks of a text start: after a blank
// line, and at lines that start with a bullet, a number or are written in
// capitals (a heading).
func blockStarts(lower string) []int {
	out := []int{0}
	prev := 0 // where the line before starts
	for i := 0; i < len(lower); i++ {
		if lower[i] != '\n' {
			continue
		}
		j := i + 1
		if j < len(lower) && lower[j] == '\n' {
			out = append(out, j+1)
			prev = j
			continue
		}
		line := lower[j:]
		if k := strings.IndexByte(line, '\n'); k >= 0 {
			line = line[:k]
		}
		// A call set out as emoji-led field lines ("💰 £800", "📅 November
		// 27", "👉 Three commissions…") goes on through a bullet among them.
		if startsWithBullet(line) && !fieldEmojiLine(lower[prev:i]) {
			out = append(out, j)
		}
		prev = j
	}
	return out
}

// fieldEmojis lead a call's field lines in emoji-set newsletters, each
// with the label it stands for ("" for a line of plain text or a link).
var fieldEmojis = map[rune]string{'📅': "deadline", '🗓': "deadline", '📆': "deadline", '⏰': "deadline", '⏳': "deadline",
	'⌛': "deadline", '💰': "award", '💵': "award", '💶': "award", '💷': "award", '💸': "award", '🏆': "award",
	'📍': "", '🔗': "", '👉': "", '➡': "", '✅': "", '📝': "", '🌐': ""}

// fieldEmojiLine reports whether a line starts with one of fieldEmojis.
func fieldEmojiLine(line string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(line))
	_, ok := fieldEmojis[r]
	return ok
}

// headingLine reports whether the first line of s heads a block: a
// bullet or number, or a short line in capitals or title case.
func headingLine(s string) bool {
	line := s
	if k := strings.IndexByte(s, '\n'); k >= 0 {
		line = s[:k]
	}
	line = strings.TrimSpace(line)
	if startsWithBullet(line) {
		return true
	}
	if line == "" || len(line) > 70 || strings.HasSuffix(line, ".") || strings.HasSuffix(line, ",") {
		return false
	}
	ws := strings.Fields(line)
	return len(ws) <= 10 && capsShare(ws)
}

func startsWithBullet(line string) bool {
	if ruleLine(line) {
		return false // "* * *" separates, it heads nothing
	}
	for _, b := range []string{"▸", "•", "■", "▪", "►", "◆", "●", "★", "→", "✦", "- ", "* ", "#", "➜", "👉"} {
		if strings.HasPrefix(line, b) {
			return true
		}
	}
	return numberLen(line) > 0
}

// numberLen returns the length of the number that opens a numbered line
// ("1. ", "12) "), or 0: a figure such as "1.200 €" numbers nothing.
func numberLen(line string) int {
	i := 0
	for i < len(line) && i < 2 && isDigit(line[i]) {
		i++
	}
	if i == 0 || i+1 >= len(line) || line[i] != '.' && line[i] != ')' || line[i+1] != ' ' && line[i+1] != '\t' {
		return 0
	}
	return i + 1
}

func blockOf(starts []int, pos int) int {
	b := 0
	for i, s := range starts {
		if s <= pos {
			b = i
		}
	}
	return b
}
