package sqlstore

import "strings"

// Positional is implemented by dialects whose driver binds "$N" parameters
// by name. SQLite keeps such names in a list it scans once per parameter
// when it prepares a statement and the driver scans again when it binds, so
// a statement of P parameters costs time in P²: a 1,000-row insert of 30
// values a row spends seconds there. Plain "?" placeholders are bound by
// position at no such cost, so the store rewrites its long statements for
// these dialects (see positional).
type Positional interface {
	// PositionalParams reports that long statements should use "?".
	PositionalParams() bool
}

// positionalFrom is the number of arguments from which a statement is
// rewritten: below it the scans cost less than the rewrite.
const positionalFrom = 64

// positionalMax is SQLite's limit on a statement's parameters; a statement
// that would pass more once rewritten is left as it is.
const positionalMax = 32766

// positional rewrites every "$N" placeholder of q outside quotes and
// comments to "?", and returns the arguments in the order the placeholders
// appear (an argument used twice is passed twice). It returns ok false, and
// q and args as they were, when a placeholder names no argument or an
// argument is never used, so the driver reports the mistake as before.
func positional(q string, args []any) (string, []any, bool) {
	var b strings.Builder
	b.Grow(len(q))
	out := make([]any, 0, len(args))
	used := make([]bool, len(args))
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			end := strings.IndexByte(q[i+1:], c)
			if end < 0 {
				return q, args, false
			}
			b.WriteString(q[i : i+end+2])
			i += end + 2
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i
			}
			b.WriteString(q[i : i+end])
			i += end
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return q, args, false
			}
			b.WriteString(q[i : i+end+4])
			i += end + 4
		case c == '$' && i+1 < len(q) && isDigit(q[i+1]):
			if q[i+1] == '0' { // "$0" and "$07" name no argument the store passes
				return q, args, false
			}
			j, n := i+1, 0
			for ; j < len(q) && isDigit(q[j]); j++ {
				n = n*10 + int(q[j]-'0')
				if n > len(args) {
					return q, args, false
				}
			}
			if j < len(q) && isIdentByte(q[j]) {
				return q, args, false
			}
			b.WriteByte('?')
			out = append(out, args[n-1])
			used[n-1] = true
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	for _, u := range used {
		if !u {
			return q, args, false
		}
	}
	if len(out) > positionalMax {
		return q, args, false
	}
	return b.String(), out, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}
