package feed

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

func mustEncode(tb testing.TB, enc encoding.Encoding, s string) []byte {
	tb.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="%s"?><rss><channel><title>café €</title></channel></rss>`
	withEnc := func(label string) string { return strings.Replace(doc, "%s", label, 1) }
	want := withEnc("UTF-8")
	utf16le := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	utf16be := unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	utf16leRaw := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"utf-8 stays as it is", []byte(want), "", want},
		{"a utf-8 byte order mark is removed", append([]byte("\xEF\xBB\xBF"), want...), "", want},
		{"utf-16 le with a byte order mark", mustEncode(t, utf16le, withEnc("UTF-16")), "", want},
		{"utf-16 be with a byte order mark", mustEncode(t, utf16be, withEnc("utf-16")), "", want},
		{"utf-16 le without a byte order mark", mustEncode(t, utf16leRaw, withEnc("UTF-16")), "", want},
		{"utf-32 with a byte order mark", mustEncode(t, utf32.UTF32(utf32.BigEndian, utf32.UseBOM), withEnc("UTF-32")), "", want},
		{"the declared encoding wins over the header", mustEncode(t, charmap.Windows1252, withEnc("windows-1252")), "text/xml; charset=utf-8", want},
		{"iso-8859-1 is read as windows-1252", mustEncode(t, charmap.Windows1252, withEnc("ISO-8859-1")), "", want},
		{"the header charset is used when nothing is declared",
			mustEncode(t, japanese.ShiftJIS, `<rss><channel><title>日本</title></channel></rss>`), "application/rss+xml; charset=Shift_JIS",
			`<rss><channel><title>日本</title></channel></rss>`},
		{"invalid utf-8 falls back to windows-1252", []byte("<rss>caf\xe9 \x80</rss>"), "", "<rss>café €</rss>"},
		{"invalid declared utf-8 falls back to windows-1252", []byte(`<?xml version="1.0" encoding="utf-8"?><rss>caf` + "\xe9</rss>"), "", `<?xml version="1.0" encoding="utf-8"?><rss>café</rss>`},
		{"a false utf-16 declaration is ignored", []byte(withEnc("UTF-16")), "", want},
		{"NUL and control characters are removed", []byte("<rss>a\x00b\x01c\td\x0be</rss>"), "", "<rss>abc\tde</rss>"},
		{"leading whitespace is removed", []byte("\n\n  " + want), "", want},
		{"json passes through", []byte(` {"version":"x"}`), "application/feed+json", `{"version":"x"}`},
		{"empty stays empty", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.body, tt.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Decode() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeToleratesAnOddUTF16Length(t *testing.T) {
	// A lone trailing byte cannot be UTF-16; the decoder replaces it rather
	// than failing, so the document still decodes.
	body := append(mustEncode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "<rss/>"), 'x')
	got, err := Decode(body, "")
	if err != nil || !strings.HasPrefix(string(got), "<rss/>") {
		t.Fatalf("Decode() = %q, %v", got, err)
	}
}

func TestRepairText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"double-encoded french", "Ã©tÃ© Ã\u00a0 Paris", "été à Paris"},
		{"double-encoded quotes", "â€œquotedâ€\u009d", "“quoted”"},
		{"genuine latin text stays", "Élysée, café", "Élysée, café"},
		{"genuine mixed text stays", "Ã© and ж", "Ã© and ж"},
		{"ascii stays", "plain", "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := repairText(tt.in); got != tt.want {
				t.Errorf("repairText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
