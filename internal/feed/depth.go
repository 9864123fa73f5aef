package feed

import (
	"bytes"
	"fmt"
)

// scanMarkup walks the tags of an XML document without building anything and
// returns the name of its root element. It fails with ErrParse when elements
// nest deeper than maxDepth. The third-party parser recurses on nested
// extension elements, so a small hostile document could otherwise cost a
// gigabyte of memory; this scan runs in linear time and constant memory.
// Malformed markup is left for the real parser to report.
func scanMarkup(text []byte, maxDepth int) (string, error) {
	var root string
	depth := 0
	for i := 0; i < len(text); {
		j := bytes.IndexByte(text[i:], '<')
		if j < 0 || i+j+1 >= len(text) {
			break
		}
		i += j + 1
		switch c := text[i]; {
		case c == '/':
			depth = max(depth-1, 0)
			i = skipPast(text, i, ">")
		case c == '?':
			i = skipPast(text, i, "?>")
		case c == '!':
			i = skipDeclaration(text, i)
		case isNameStart(c):
			name, end, selfClosing := readStartTag(text, i)
			if root == "" {
				root = name
			}
			i = end
			if selfClosing {
				continue
			}
			if depth++; depth > maxDepth {
				return root, fmt.Errorf("%w: elements nested deeper than %d levels", ErrParse, maxDepth)
			}
		}
	}
	return root, nil
}

// skipPast returns the index just after the next occurrence of end at or
// after i, or len(text).
func skipPast(text []byte, i int, end string) int {
	k := bytes.Index(text[i:], []byte(end))
	if k < 0 {
		return len(text)
	}
	return i + k + len(end)
}

// skipDeclaration skips a comment, a CDATA section or a <!DOCTYPE ...> with
// its internal subset; i is just after the "<".
func skipDeclaration(text []byte, i int) int {
	rest := text[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("!--")):
		return skipPast(text, i+3, "-->")
	case bytes.HasPrefix(rest, []byte("![CDATA[")):
		return skipPast(text, i+8, "]]>")
	}
	inSubset := false
	for ; i < len(text); i++ {
		switch text[i] {
		case '[':
			inSubset = true
		case ']':
			inSubset = false
		case '>':
			if !inSubset {
				return i + 1
			}
		}
	}
	return i
}

// readStartTag reads the tag starting at text[i] (just after "<"): its name,
// the index after its ">", and whether it closes itself. Quoted attribute
// values may hold ">".
func readStartTag(text []byte, i int) (string, int, bool) {
	start := i
	for i < len(text) && !isSpaceOrEnd(text[i]) {
		i++
	}
	name := string(text[start:i])
	var quote byte
	for ; i < len(text); i++ {
		c := text[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return name, i + 1, text[i-1] == '/'
		}
	}
	return name, i, false
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

func isSpaceOrEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/'
}
