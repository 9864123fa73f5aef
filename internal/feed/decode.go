package feed

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// Byte order marks, longest first where one is a prefix of another.
var (
	bomUTF32LE = []byte{0xFF, 0xFE, 0x00, 0x00}
	bomUTF32BE = []byte{0x00, 0x00, 0xFE, 0xFF}
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// xmlDecl matches an XML declaration at the start of a document and captures
// its encoding value (group 2) with the quote around it (group 1).
var xmlDecl = regexp.MustCompile(`^<\?xml[ \t\r\n][^>]*?encoding[ \t\r\n]*=[ \t\r\n]*(["'])([A-Za-z0-9._:\-]*)(["'])`)

// Decode returns body as UTF-8 text ready for the XML and JSON parsers. It
// picks the encoding from, in order: a byte order mark (UTF-8, UTF-16 or
// UTF-32) or the byte layout of the first "<" (UTF-16 or UTF-32 without a
// mark), the XML declaration, the charset parameter of contentType, and else
// UTF-8, falling back to windows-1252 when the bytes are not valid UTF-8
// (also when the declaration claims UTF-8). The result has no byte order
// mark, no leading whitespace, no NUL or other characters XML forbids (nor
// character references to them), and its XML declaration, if any, names
// UTF-8, so that no parser decodes it twice. C1 controls are kept here (XML
// allows them) and removed from the normalized fields. Errors wrap ErrParse.
func Decode(body []byte, contentType string) ([]byte, error) {
	enc, rest, err := pickEncoding(body, contentType)
	if err != nil {
		return nil, err
	}
	text, err := decodeWith(enc, rest)
	if err != nil {
		return nil, err
	}
	text = stripBadCharRefs(stripInvalidChars(text))
	text = bytes.TrimLeft(text, " \t\r\n\ufeff")
	return rewriteDecl(text), nil
}

// pickEncoding returns the encoding body is in (nil for UTF-8) and body with
// any byte order mark removed.
func pickEncoding(body []byte, contentType string) (encoding.Encoding, []byte, error) {
	switch {
	case bytes.HasPrefix(body, bomUTF32LE):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), body[4:], nil
	case bytes.HasPrefix(body, bomUTF32BE):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), body[4:], nil
	case bytes.HasPrefix(body, bomUTF8):
		return nil, body[len(bomUTF8):], nil
	case bytes.HasPrefix(body, bomUTF16LE):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body[2:], nil
	case bytes.HasPrefix(body, bomUTF16BE):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body[2:], nil
	}
	if enc, ok := sniffWide(body); ok {
		return enc, body, nil
	}
	if enc, ok := declaredEncoding(body); ok {
		return enc, body, nil
	}
	if enc, ok := headerEncoding(contentType); ok {
		return enc, body, nil
	}
	return nil, body, nil
}

// sniffWide recognises UTF-16 and UTF-32 documents without a byte order mark
// from the way their first "<" is laid out (XML 1.0, appendix F).
func sniffWide(body []byte) (encoding.Encoding, bool) {
	if len(body) < 4 {
		return nil, false
	}
	switch {
	case body[0] == 0 && body[1] == 0 && body[2] == 0 && body[3] == '<':
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), true
	case body[0] == '<' && body[1] == 0 && body[2] == 0 && body[3] == 0:
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), true
	case body[0] == 0 && body[1] == '<' && body[2] == 0:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), true
	case body[0] == '<' && body[1] == 0 && body[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), true
	}
	return nil, false
}

// declaredEncoding reads the encoding named by the XML declaration. A
// declaration of UTF-16 or UTF-32 in a document that was readable as ASCII is
// wrong by construction and is ignored.
func declaredEncoding(body []byte) (encoding.Encoding, bool) {
	head := bytes.TrimLeft(body[:min(len(body), 1024)], " \t\r\n")
	m := xmlDecl.FindSubmatch(head)
	if m == nil {
		return nil, false
	}
	label := strings.ToLower(string(m[2]))
	if strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf-32") ||
		strings.HasPrefix(label, "ucs") {
		return nil, false
	}
	return lookup(label)
}

// headerEncoding reads the charset parameter of an HTTP Content-Type.
func headerEncoding(contentType string) (encoding.Encoding, bool) {
	if contentType == "" {
		return nil, false
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["charset"] == "" {
		return nil, false
	}
	label := strings.ToLower(params["charset"])
	if strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf-32") {
		// A document that reached here has no BOM and no wide "<": the
		// header is wrong.
		return nil, false
	}
	return lookup(label)
}

// lookup maps a charset label to an encoding; UTF-8 is reported as nil.
func lookup(label string) (encoding.Encoding, bool) {
	enc, name := charset.Lookup(label)
	if enc == nil {
		return nil, false
	}
	if name == "utf-8" {
		return nil, true
	}
	return enc, true
}

// decodeWith converts b from enc to UTF-8. A nil enc means UTF-8: bytes that
// are not valid UTF-8 are then read as windows-1252, as browsers and most
// feed readers do.
func decodeWith(enc encoding.Encoding, b []byte) ([]byte, error) {
	if enc == nil {
		if utf8.Valid(b) {
			return b, nil
		}
		enc = charmap.Windows1252
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("%w: decode text: %w", ErrParse, err)
	}
	return out, nil
}

// stripInvalidChars removes the characters XML 1.0 does not allow: NUL and
// the other C0 controls but tab, newline and carriage return, surrogates,
// U+FFFE and U+FFFF. Invalid UTF-8 becomes U+FFFD. It returns b itself when
// there is nothing to remove.
func stripInvalidChars(b []byte) []byte { return stripChars(b, xmlChar) }

// stripChars removes the runes keep rejects and replaces invalid UTF-8 with
// U+FFFD.
func stripChars(b []byte, keep func(rune) bool) []byte {
	i := firstRejected(b, keep)
	if i < 0 {
		return b
	}
	out := make([]byte, i, len(b))
	copy(out, b[:i])
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = utf8.AppendRune(out, utf8.RuneError)
		case keep(r):
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// firstRejected returns the index of the first byte stripChars would
// change, or -1.
func firstRejected(b []byte, keep func(rune) bool) int {
	for i := 0; i < len(b); {
		if c := b[i]; c >= 0x20 && c < 0x7F {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || !keep(r) {
			return i
		}
		i += size
	}
	return -1
}

// xmlChar reports whether XML 1.0 allows r.
func xmlChar(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return true
	case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
		return false
	}
	return true
}

// textChar reports whether r may appear in stored text: an XML character
// that is not DEL or a C1 control, which no real text uses.
func textChar(r rune) bool {
	return xmlChar(r) && (r < 0x7F || r > 0x9F)
}

// stripBadCharRefs removes character references to characters XML forbids,
// such as "&#1;" or "&#xFFFE;": the XML parser rejects the whole document
// over one of them, and they stand for nothing a reader could see.
func stripBadCharRefs(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("&#"))
		if j < 0 {
			break
		}
		i += j
		end, r := parseCharRef(b[i:])
		if end == 0 || xmlChar(r) && r <= utf8.MaxRune {
			i += 2
			continue
		}
		out = append(out, b[last:i]...)
		i += end
		last = i
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// parseCharRef reads a character reference at the start of b and returns
// its length and value, or 0 when b does not start with one.
func parseCharRef(b []byte) (int, rune) {
	base, i := 10, 2
	if len(b) > 2 && (b[2] == 'x' || b[2] == 'X') {
		base, i = 16, 3
	}
	var v int64
	start := i
	for ; i < len(b) && i-start < 10; i++ {
		d := hexDigit(b[i])
		if d < 0 || d >= base {
			break
		}
		v = v*int64(base) + int64(d)
	}
	if i == start || i >= len(b) || b[i] != ';' {
		return 0, 0
	}
	return i + 1, rune(min(v, utf8.MaxRune+1))
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// rewriteDecl makes the XML declaration, if any, name UTF-8, since the text
// is UTF-8 now.
func rewriteDecl(text []byte) []byte {
	m := xmlDecl.FindSubmatchIndex(text)
	if m == nil {
		return text
	}
	if strings.EqualFold(string(text[m[4]:m[5]]), "utf-8") {
		return text
	}
	out := make([]byte, 0, len(text)+8)
	out = append(out, text[:m[4]]...)
	out = append(out, "UTF-8"...)
	return append(out, text[m[5]:]...)
}

// repairText undoes a double encoding of one text field: UTF-8 read as
// windows-1252 and written as UTF-8 again ("Ã©" for "é"), which some
// publishers' pipelines produce for some fields only. It changes s only when
// every non-ASCII character fits windows-1252 (or Latin-1, for the bytes
// windows-1252 leaves undefined) and the bytes they stand for
// form valid UTF-8 with at least one multi-byte sequence; genuine text
// almost never passes that test, since an accented capital is rarely
// followed by one of the symbols a UTF-8 continuation byte turns into.
func repairText(s string) string {
	if !mayBeDoubleEncoded(s) {
		return s
	}
	raw := make([]byte, 0, len(s))
	for _, r := range s {
		b, ok := byte(r), r <= 0xFF
		if !ok {
			b, ok = charmap.Windows1252.EncodeRune(r)
		}
		if !ok {
			return s
		}
		raw = append(raw, b)
	}
	if !utf8.Valid(raw) {
		return s
	}
	return string(raw)
}

// mayBeDoubleEncoded is the cheap first test for undoDoubleEncoding: the text
// has a character from U+00C2 to U+00F4 (what a UTF-8 lead byte becomes) and
// nothing beyond U+00FF but the windows-1252 punctuation range.
func mayBeDoubleEncoded(s string) bool {
	lead := false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
		case r >= 0xC2 && r <= 0xF4:
			lead = true
		case r <= 0xFF, r >= 0x152 && r <= 0x2122:
		default:
			return false
		}
	}
	return lead
}
