package extract

import "testing"

func TestTokenizeSplitsElisions(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"résidence d'écriture", []string{"résidence", "d'", "écriture"}},
		{"l’autrice et dell'arte", []string{"l’", "autrice", "et", "dell'", "arte"}},
		{"don't it's people's", []string{"don't", "it's", "people's"}},
		{"l'", []string{"l"}},
	} {
		got := words(c.in)
		if len(got) != len(c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: got %q, want %q", c.in, got, c.want)
				break
			}
		}
	}
}

func TestLexiconFindsWordsAfterElisions(t *testing.T) {
	lx := newLexicon("écriture", "aide à l'écriture")
	s := "une aide à l'écriture et une bourse d'écriture"
	hs := lx.find(s, tokenize(s))
	if len(hs) != 2 || hs[0].phrase != "aide à l'écriture" || hs[1].phrase != "écriture" {
		t.Fatalf("got %+v, want the phrase and the word after d'", hs)
	}
}
