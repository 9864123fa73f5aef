package extract

// abbreviations end with a period that does not end a sentence.
var abbreviations = map[string]bool{
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "no": true, "st": true,
	"dr": true, "mr": true, "ms": true, "mrs": true, "inc": true, "ltd": true, "co": true,
	"vs": true, "etc": true, "approx": true, "ca": true, "rs": true, "u.s": true, "max": true, "min": true,
	"mind": true, "bzw": true, "ggf": true, "inkl": true, "zzgl": true, "env": true, "aprox": true, "mín": true,
}

// isBoundary reports whether text[i] ends a clause.
func isBoundary(lower string, i int) bool {
	switch lower[i] {
	case '\n', ';', '!', '?':
		return true
	case '.':
	default:
		return false
	}
	if i+1 < len(lower) && lower[i+1] != ' ' && lower[i+1] != '\n' {
		return false
	}
	j := i
	for j > 0 && isLetter(lower[j-1]) {
		j--
	}
	w := lower[j:i]
	if len(w) == 1 && j > 0 && lower[j-1] == '.' { // p.m. a.m. e.g.
		return false
	}
	if len(w) == 1 && w != "m" && (j == 0 || lower[j-1] == ' ') { // initials like "J."
		return false
	}
	return !abbreviations[w]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' }

// clauseStart returns where the clause holding pos starts, looking back at
// most limit bytes.
func clauseStart(lower string, pos, limit int) int {
	lo := max(pos-limit, 0)
	for i := pos - 1; i >= lo; i-- {
		if isBoundary(lower, i) {
			return i + 1
		}
	}
	return lo
}

// clauseEnd returns where the clause holding pos ends, looking ahead at most
// limit bytes.
func clauseEnd(lower string, pos, limit int) int {
	hi := min(pos+limit, len(lower))
	for i := pos; i < hi; i++ {
		if isBoundary(lower, i) {
			return i
		}
	}
	return hi
}
