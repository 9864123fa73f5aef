package match

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// Hashes are 32-bit hashes: a MinHash signature, a set of word hashes. As
// JSON they are one base64 string of their little-endian bytes, which the
// store keeps with every sighting: 1.33 characters a byte, where decimal
// numbers took about 2.7 (a sighting's features shrank from about 1,580
// to about 990 bytes on the bench farm). An array of numbers, as earlier
// versions wrote them, is read as well.
type Hashes []uint32

// MarshalJSON writes h as a base64 string.
func (h Hashes) MarshalJSON() ([]byte, error) {
	raw := make([]byte, 4*len(h))
	for i, v := range h {
		binary.LittleEndian.PutUint32(raw[4*i:], v)
	}
	out := make([]byte, 0, base64.StdEncoding.EncodedLen(len(raw))+2)
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, raw)
	return append(out, '"'), nil
}

// UnmarshalJSON reads a base64 string (see ParseHashes) or an array of
// numbers; null leaves h nil.
func (h *Hashes) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*h = nil
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := ParseHashes(s)
		if err != nil {
			return err
		}
		*h = v
		return nil
	}
	var v []uint32
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*h = v
	return nil
}

// ParseHashes reads the base64 text MarshalJSON writes; "" is none.
func ParseHashes(s string) (Hashes, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("hashes: %w", err)
	}
	if len(raw)%4 != 0 {
		return nil, fmt.Errorf("hashes: %d bytes, not a multiple of 4", len(raw))
	}
	out := make(Hashes, len(raw)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(raw[4*i:])
	}
	return out, nil
}
