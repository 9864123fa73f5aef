package api

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// An opportunity's CommonGrants id is a UUID derived from its Scout id, the
// same on every read, that the {id} route turns back into that id. A name
// based UUID (version 5) cannot be turned back without storing it, so the
// id is an RFC 9562 version 8 UUID instead: the low 62 bits of its last
// eight bytes carry the Scout id, and the rest is a SHA-256 of a fixed
// namespace and the id, so that a UUID Scout did not make is refused
// without a read.

// cgNamespace fixes the hash half; changing it changes every id.
const cgNamespace = "scout.opportunity.v1"

// cgMaxID is the largest Scout id the 62 bits carry.
const cgMaxID = 1<<62 - 1

// opportunityUUID returns the CommonGrants id of opportunity id (1..cgMaxID).
func opportunityUUID(id int64) string {
	var u [16]byte
	cgCheck(id, u[:8])
	binary.BigEndian.PutUint64(u[8:], uint64(id)&cgMaxID|0x8000000000000000) // variant 10
	var b strings.Builder
	b.Grow(36)
	for i, part := range [][]byte{u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]} {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(hex.EncodeToString(part))
	}
	return b.String()
}

// cgCheck writes the hash half of id's UUID, with the version nibble, to dst.
func cgCheck(id int64, dst []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(id))
	sum := sha256.Sum256(append([]byte(cgNamespace), n[:]...))
	copy(dst, sum[:8])
	dst[6] = dst[6]&0x0f | 0x80 // version 8
}

// opportunityOfUUID returns the Scout id a CommonGrants id names; false
// when s is not one Scout made (any other UUID, or not a UUID at all).
func opportunityOfUUID(s string) (int64, bool) {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return 0, false
	}
	var u [16]byte
	if _, err := hex.Decode(u[:], []byte(s[0:8]+s[9:13]+s[14:18]+s[19:23]+s[24:36])); err != nil {
		return 0, false
	}
	if u[8]&0xc0 != 0x80 {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(u[8:]) & cgMaxID)
	var want [8]byte
	if cgCheck(id, want[:]); id == 0 || string(want[:]) != string(u[:8]) {
		return 0, false
	}
	return id, true
}
