package extract

import (
	"time"

	"github.com/scoutdev/scout/internal/scout"
)

var langPT = &language{
	code: "pt",
	stop: []string{"o", "os", "do", "da", "dos", "das", "para", "com", "uma", "não", "ao", "pelo", "pela", "até", "são", "em",
		"no", "na", "nos", "nas", "um", "seu", "sua", "será", "pode", "podem", "você", "é", "mais"},
	kinds: map[string]kindCue{
		"edital": {scout.KindCall, 1}, "chamada": {scout.KindCall, 1}, "convocatória": {scout.KindCall, 1}, "open call": {scout.KindCall, 1},
		"chamamento":       {scout.KindCall, 1},
		"apoio financeiro": {scout.KindGrant, 1}, "fomento": {scout.KindGrant, 1}, "subsídio*": {scout.KindGrant, 1},
		"financiamento": {scout.KindGrant, 1}, "bolsa": {scout.KindGrant, 1}, "bolsas": {scout.KindGrant, 1}, "apoio": {scout.KindGrant, 0.5},
		"bolsa de estudo": {scout.KindScholarship, 2}, "bolsas de estudo": {scout.KindScholarship, 2}, "propina*": {scout.KindScholarship, 1},
		"mensalidade*": {scout.KindScholarship, 0.5},
		"residência":   {scout.KindResidency, 1}, "residências": {scout.KindResidency, 1}, "residência artística": {scout.KindResidency, 2},
		"prémio": {scout.KindContest, 1}, "prêmio": {scout.KindContest, 1}, "concurso": {scout.KindContest, 1}, "premia": {scout.KindContest, 1},
		"encomenda":    {scout.KindCommission, 1.5},
		"recrutamento": {scout.KindJob, 1.5}, "a recrutar": {scout.KindJob, 1.5}, "vaga": {scout.KindJob, 1}, "vagas": {scout.KindJob, 0.5},
		"emprego": {scout.KindJob, 1}, "contratação": {scout.KindJob, 1}, "salário": {scout.KindJob, 1}, "contrato": {scout.KindJob, 0.7},
		"incubadora": {scout.KindAccelerator, 1.5}, "aceleradora": {scout.KindAccelerator, 1.5}, "aceleração": {scout.KindAccelerator, 1.5},
		"patrocínio": {scout.KindSponsorship, 1}, "embaixador*": {scout.KindSponsorship, 1}, "parceria*": {scout.KindSponsorship, 1},
		"bolsa de jornalismo": {scout.KindFellowship, 2},
	},
	seek: []string{"procura", "procuramos", "procuram-se", "procuram"},
	cta: []string{"envia", "enviem", "manda", "mandem", "inscreve-te", "candidata-te", "inscrições", "inscrição", "inscreva", "inscrever", "candidatura*", "candidatar", "prazo", "envie", "enviar",
		"participar", "podem participar", "torna público", "seleciona", "selecionar", "submeter", "até"},
	news: []string{"declaração de irs", "imposto", "finanças", "vencedor*", "entrevista", "premiad*", "ingressos", "bilhetes", "programação", "concerto*", "exposição",
		"agradecemos", "partilhar"},
	titleNews:  []string{"curso", "cursos", "oficina", "oficinas"},
	veto:       []string{"encerrad*", "suspens*", "resultado final", "foram selecionados", "não haverá", "cancelad*", "anuncia programação"},
	dateStrong: []string{"período de inscrição", "período de inscrições", "período de candidaturas", "terminam", "termina", "encerram", "encerra", "prazo final", "prazo", "data limite", "inscrições até", "candidaturas até", "encerramento", "encerram", "termina"},
	dateWeak:   []string{"até", "antes de", "candidaturas", "inscrições"},
	dateOpen:   []string{"abertas", "abertos", "aberta", "a partir de", "inscrições de"},
	dateEvent:  []string{"divulgado", "resultado", "acontece", "decorre", "realiza-se", "será realizada", "festival"},
	months: map[string]time.Month{"janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "abril": 4, "maio": 5, "junho": 6,
		"julho": 7, "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12},
	disciplines: map[string][]string{
		"visual arts":             {"artes visuais", "artes plásticas", "pintura", "escultura*", "desenho"},
		"music":                   {"música*", "musicais", "musical", "músico*", "compositor*"},
		"writing":                 {"escrita", "literatura", "literári*", "poesia", "poeta*", "romance*", "escritor*", "manuscrito*"},
		"film":                    {"cinema", "audiovisual*", "curta-metragem", "documentári*", "filme*"},
		"theatre":                 {"teatro*", "artes cénicas", "artes cênicas"},
		"dance":                   {"dança*", "coreograf*"},
		"photography":             {"fotograf*", "fotógraf*"},
		"illustration and comics": {"ilustra*", "quadrinhos", "banda desenhada", "bd"},
		"journalism":              {"jornalis*"},
		"crafts":                  {"artesanato", "cerâmica*", "ofícios"},
		"multidisciplinary":       {"qualquer disciplina", "todas as disciplinas", "todas as linguagens", "multidisciplinar*", "todas as áreas"},
		"design":                  {"design"},
		"games":                   {"jogos digitais", "videojogo*"},
	},
	orgWords: []string{"Fundação", "Associação", "Instituto", "Centro", "Conselho", "Ministério", "Festival", "Coletivo", "Museu",
		"Bienal", "Secretaria", "Prefeitura", "Câmara", "Editora", "Casa",
		"Galeria", "Teatro", "Companhia", "Livraria", "Biblioteca", "Orquestra"},
	offerVerbs: []string{"torna", "lança", "abre", "abriu", "procura", "oferece", "convida", "seleciona", "vai", "está", "premia", "promove"},
	fee:        []string{"taxa de inscrição", "taxa", "custam", "custa", "preço", "valor da inscrição"},
	pool:       []string{"valor total", "no total", "montante total", "total de"},
	currencies: map[string]string{"reais": "BRL", "euros": "EUR"},
}
