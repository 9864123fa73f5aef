package extract

import (
	"slices"
	"testing"
)

func TestDisciplinesInPassingAndInOtherLanguages(t *testing.T) {
	for _, c := range []struct {
		title, text string
		want        []string
	}{
		{"Public art commission", "A sculpture for the greenway. Budget $85,000, covering artist fees, design, fabrication and installation.",
			[]string{"visual arts"}},
		{"Podcast fellowship", "Training in audio reporting and sound design for new podcast producers.", []string{"journalism", "podcasting"}},
		{"Short film fund", "Teams must have a writer, director or producer who lives in the state. Films up to 15 minutes.", []string{"film"}},
		{"Open call", "Open to artists working in any medium, from performance to text.", []string{"multidisciplinary"}},
		{"Residencia artística", "La fundación convoca dos plazas de residencia para artistas visuales. Los seleccionados tendrán el alojamiento y el estudio.", []string{"visual arts"}},
		{"Résidence d'écriture", "La maison accueille un auteur pour une résidence d'écriture de deux mois.", []string{"writing"}},
		{"Session violinist needed", "We need a violinist for three days of recording.", []string{"music"}},
	} {
		got := findDisciplines(newDoc(Input{Title: c.title, Text: c.text})).names
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v, want %v", c.text, got, c.want)
		}
	}
}
