package extract

import "testing"

func TestDetectLanguageOfShortPosts(t *testing.T) {
	tests := []struct{ name, title, text, want string }{
		{"a Spanish deadline after one sentence", "Convocatoria de becas 2026",
			"La Fundación Montealto convoca becas para artistas visuales. Fecha de cierre: 15 de mayo de 2026 a las 14:00 horas.", "es"},
		{"a Portuguese call of two sentences", "Edital de bolsas 2026",
			"A Fundação Ribeira abre edital de bolsas. As inscrições vão até 15 de maio de 2026.", "pt"},
		{"an Italian prize whose \"al\" Spanish shares", "Premio per racconti inediti",
			"Al vincitore andranno 1.500 euro; al secondo 500 euro. I testi vanno inviati entro il 30 aprile 2026.", "it"},
		{"a Swedish post whose month is three letters", "Stipendium 2026",
			"Stiftelsen Norrljus stödjer bildkonstnärer. Varje stipendiat får 50 000 kr. Sista ansökningsdag: 15 maj 2026.", "sv"},
		{"a short English post stays English", "Open call",
			"Muralists wanted. Fee $6,000. Send a portfolio by May 15.", "en"},
		{"one foreign word does not make a language", "Convocatoria",
			"Artists wanted. Send a portfolio by May 15.", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := newDoc(Input{Title: tt.title, Text: tt.text}).lang; got != tt.want {
				t.Errorf("language %q, want %q", got, tt.want)
			}
		})
	}
}
