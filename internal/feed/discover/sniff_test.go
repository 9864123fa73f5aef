package discover

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestLooksLikeFeed(t *testing.T) {
	const rss = `<rss version="2.0"><channel><title>t</title></channel></rss>`
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"RSS 2.0", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + rss, true},
		{"RSS without a declaration", rss, true},
		{"RSS after a stylesheet instruction and a comment", `<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="/rss.xsl"?><!-- ` + strings.Repeat("licence ", 500) + `-->` + rss, true},
		{"RSS 0.91 with its doctype", `<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91">`, true},
		{"RSS in windows-1252", "<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss><channel><title>caf\xe9</title>", true},
		{"Atom", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>`, true},
		{"RSS 1.0 (RDF)", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>`, true},
		{"after a UTF-8 byte-order mark and white space", "\xEF\xBB\xBF \r\n\t" + rss, true},
		{"UTF-16 little endian with its mark", utf16LE(`<?xml version="1.0" encoding="UTF-16"?>` + rss), true},
		{"a cut-off feed still starts like one", rss[:20], true},
		{"JSON Feed", `{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": []}`, true},
		{"JSON Feed with escaped slashes, version not first", `{"title":"t","version":"https:\/\/jsonfeed.org\/version\/1"}`, true},
		{"JSON Feed 1.0 over http", "\n{\n  \"version\" : \"http://jsonfeed.org/version/1\"\n}", true},
		{"an HTML page served with status 200", "<!DOCTYPE html>\n<html><head><title>Grants.gov</title></head><body>Site maintenance</body></html>", false},
		{"HTML without a doctype", `<html lang=en><head><link rel="alternate" type="application/rss+xml" href="/rss">`, false},
		{"a sitemap", `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`, false},
		{"an OPML list", `<?xml version="1.0"?><opml version="2.0"><body/></opml>`, false},
		{"other JSON", `{"data": {"version": "2"}}`, false},
		{"JSON that names JSON Feed in the wrong key", `{"homepage": "https://jsonfeed.org/version/1"}`, false},
		{"a JSON array", `[{"version": "https://jsonfeed.org/version/1"}]`, false},
		{"plain text", "rss feed coming soon", false},
		{"empty", "", false},
		{"only white space", " \n\t ", false},
		{"a lone byte-order mark", "\xEF\xBB\xBF", false},
		{"malformed XML", "<<<rss>", false},
		{"a lone UTF-16 mark with an odd byte", "\xFF\xFE<", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LooksLikeFeed([]byte(tt.body)); got != tt.want {
				t.Errorf("LooksLikeFeed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLooksLikeFeedReadsOnlyTheStart(t *testing.T) {
	late := strings.Repeat(" ", sniffBytes) + `<rss version="2.0">`
	if LooksLikeFeed([]byte(late)) {
		t.Error("a root element past the sniff window was found")
	}
}

func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}
