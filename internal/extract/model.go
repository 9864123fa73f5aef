package extract

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/scoutdev/scout/internal/scout"
)

// The kind model is a multinomial logistic regression over hashed word
// unigrams, title unigrams, word bigrams and character 4-grams: features
// that hold in every language the labelled sets hold. It is trained by
// `go generate` (model_train_test.go) on the dev and own sets, on
// cases.jsonl and holdout.jsonl and on testdata/train, never on the blind
// sets, and shipped as kindmodel.bin. Its weights are int8 with one scale,
// so the file stays under 64 KB.

//go:generate go test -run ^TestTrainKindModel$ -model.train

//go:embed kindmodel.bin
var kindModelBin []byte

// modelClasses are the classes the model scores, in the order of its
// weights: no opportunity first, then every kind.
var modelClasses = [...]scout.Kind{scout.KindNone, scout.KindGrant, scout.KindFellowship, scout.KindResidency,
	scout.KindScholarship, scout.KindAccelerator, scout.KindCommission, scout.KindContest, scout.KindSponsorship,
	scout.KindJob, scout.KindCall}

const nModelClasses = len(modelClasses)

// modelMaxText bounds the bytes of a document the model reads: the head
// of a post carries its kind.
const modelMaxText = 6000

// textModel is a decoded kind model.
type textModel struct {
	buckets uint32
	scale   float32
	bias    [nModelClasses]float32
	w       []int8 // buckets × classes, bucket-major
}

const modelMagic = "SKM1"

// decodeModel reads the model file: magic, bucket count (uint32), class
// count (uint8), scale (float32), one float32 bias per class, then int8
// weights, bucket-major, all little-endian.
func decodeModel(b []byte) (*textModel, error) {
	const head = len(modelMagic) + 4 + 1 + 4
	if len(b) < head || string(b[:4]) != modelMagic {
		return nil, errors.New("kind model: not a model file")
	}
	m := &textModel{buckets: binary.LittleEndian.Uint32(b[4:8])}
	if n := int(b[8]); n != nModelClasses {
		return nil, fmt.Errorf("kind model: %d classes, want %d", n, nModelClasses)
	}
	if m.buckets == 0 || m.buckets > 1<<16 {
		return nil, fmt.Errorf("kind model: %d buckets, want 1 to 65536", m.buckets)
	}
	m.scale = math.Float32frombits(binary.LittleEndian.Uint32(b[9:13]))
	if m.scale != m.scale || math.IsInf(float64(m.scale), 0) || m.scale < 0 {
		return nil, errors.New("kind model: bad scale")
	}
	rest := b[head:]
	want := 4*nModelClasses + int(m.buckets)*nModelClasses
	if len(rest) != want {
		return nil, fmt.Errorf("kind model: %d bytes of weights, want %d", len(rest), want)
	}
	for c := range m.bias {
		m.bias[c] = math.Float32frombits(binary.LittleEndian.Uint32(rest[4*c:]))
		if f := float64(m.bias[c]); f != f || math.IsInf(f, 0) {
			return nil, errors.New("kind model: bad bias")
		}
	}
	rest = rest[4*nModelClasses:]
	m.w = make([]int8, len(rest))
	for i, v := range rest {
		m.w[i] = int8(v)
	}
	return m, nil
}

// encode writes m in the form decodeModel reads.
func (m *textModel) encode() []byte {
	b := make([]byte, 0, 13+4*nModelClasses+len(m.w))
	b = append(b, modelMagic...)
	b = binary.LittleEndian.AppendUint32(b, m.buckets)
	b = append(b, byte(nModelClasses))
	b = binary.LittleEndian.AppendUint32(b, math.Float32bits(m.scale))
	for _, v := range m.bias {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	for _, v := range m.w {
		b = append(b, byte(v))
	}
	return b
}

// kindModel is the shipped model; nil when the embedded file does not
// decode (the rules then decide alone).
var kindModel = func() *textModel {
	m, err := decodeModel(kindModelBin)
	if err != nil {
		return nil
	}
	return m
}()

// FNV-1a, and salts that keep each feature family apart.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
	saltWord  = 0x9e3779b9
	saltTitle = 0x85ebca6b
	saltPair  = 0xc2b2ae35
	saltGram  = 0x27d4eb2f
)

// modelByte folds digits into one, so that years and sums are one shape.
func modelByte(c byte) byte {
	if c >= '0' && c <= '9' {
		return '0'
	}
	return c
}

func hashWord(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint32(modelByte(s[i]))
		h *= fnvPrime
	}
	return h
}

// mix spreads h over the buckets with a final avalanche.
func mix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x7feb352d
	h ^= h >> 15
	h *= 0x846ca68b
	h ^= h >> 16
	return h
}

// features calls add with the bucket of every feature of d's head, in
// text order; it returns their count.
func features(d *doc, buckets uint32, add func(uint32)) int {
	n := 0
	emit := func(h uint32) {
		add(mix(h) % buckets)
		n++
	}
	lower := d.lower
	var prev uint32
	havePrev := false
	for _, t := range d.tokens() {
		if t.end > modelMaxText {
			break
		}
		w := lower[t.start:t.end]
		h := hashWord(w)
		emit(h ^ saltWord)
		if t.end <= d.titleEnd {
			emit(h ^ saltTitle)
		}
		if havePrev {
			emit((prev * fnvPrime) ^ h ^ saltPair)
		}
		prev, havePrev = h, true
		// Character 4-grams of the word padded with spaces.
		if len(w) >= 3 {
			var g [4]byte
			for i := -1; i+3 <= len(w); i++ {
				for j := 0; j < 4; j++ {
					k := i + j
					switch {
					case k < 0 || k >= len(w):
						g[j] = ' '
					default:
						g[j] = modelByte(w[k])
					}
				}
				emit(((uint32(g[0])<<24 | uint32(g[1])<<16 | uint32(g[2])<<8 | uint32(g[3])) * fnvPrime) ^ saltGram)
			}
		}
	}
	return n
}

// probs returns the class probabilities m gives d.
func (m *textModel) probs(d *doc) [nModelClasses]float64 {
	var acc [nModelClasses]int32
	n := features(d, m.buckets, func(b uint32) {
		row := m.w[int(b)*nModelClasses : int(b+1)*nModelClasses]
		for c := range acc {
			acc[c] += int32(row[c])
		}
	})
	var logits [nModelClasses]float64
	norm := 0.0
	if n > 0 {
		norm = float64(m.scale) / math.Sqrt(float64(n))
	}
	for c := range logits {
		logits[c] = float64(m.bias[c]) + norm*float64(acc[c])
	}
	softmax(&logits)
	return logits
}

// softmax turns logits into probabilities in place.
func softmax(l *[nModelClasses]float64) {
	top := math.Inf(-1)
	for _, v := range l {
		top = max(top, v)
	}
	sum := 0.0
	for c := range l {
		l[c] = math.Exp(l[c] - top)
		sum += l[c]
	}
	for c := range l {
		l[c] /= sum
	}
}

// modelPolicy says where the model's reading overrides the rules'. Each
// threshold is a probability; zero leaves that override off. weak limits
// vetoes and rescues to texts where the rules' evidence is weak (their
// calls to action outweigh the signs of news by at most weak, or the
// reverse); the kind override applies anywhere.
type modelPolicy struct {
	veto   float64 // an opportunity of the rules is none when P(none) ≥ veto
	rescue float64 // a none of the rules (not vetoed, a kind word named) is the model's kind when P(that kind) ≥ rescue
	kind   float64 // an opportunity's kind is the model's when P(that kind) ≥ kind
	weak   float64 // 0: anywhere
}

// kindPolicy is the policy Extract applies, chosen by five-fold
// cross-validation on the training sets (TestKindModelCV). The sixth round
// found only the kind override at 0.7 to 0.9 kept the rules' opportunity
// accuracy and kind macro-F1 on the sets the rules were written beside;
// with testdata/train's 800 posts the model also vetoes and rescues at 0.9
// where the rules' evidence is weak (calls to action and signs of news
// within 2), which raised both on every set (pooled 0.9635 / 0.8950 ->
// 0.9723 / 0.9015, the rules' sets 0.9956 / 0.9501 -> 0.9956 / 0.9523).
var kindPolicy = modelPolicy{kind: 0.8, veto: 0.9, rescue: 0.9, weak: 2}

func (p modelPolicy) off() bool { return p.veto == 0 && p.rescue == 0 && p.kind == 0 }

// decideKind applies p with m to the rules' reading k of d.
func decideKind(d *doc, k kindResult, m *textModel, p modelPolicy) kindResult {
	if m == nil || p.off() || k.vetoed {
		return k
	}
	if k.kind == scout.KindNone && (p.rescue == 0 || !k.named) || k.kind != scout.KindNone && p.veto == 0 && p.kind == 0 {
		return k // no override could apply: spare the model's reading
	}
	weak := p.weak == 0 || math.Abs(k.margin) <= p.weak
	if !weak && (k.kind == scout.KindNone || p.kind == 0) {
		return k
	}
	pr := m.probs(d)
	top := 1
	for c := 2; c < nModelClasses; c++ {
		if pr[c] > pr[top] {
			top = c
		}
	}
	switch {
	case weak && k.kind != scout.KindNone && p.veto > 0 && pr[0] >= p.veto:
		k.kind, k.conf = scout.KindNone, pr[0]
	case weak && k.kind == scout.KindNone && k.named && p.rescue > 0 && pr[top] >= p.rescue:
		k.kind, k.conf = modelClasses[top], pr[top]
	case k.kind != scout.KindNone && p.kind > 0 && pr[top] >= p.kind:
		k.kind = modelClasses[top]
	}
	return k
}
