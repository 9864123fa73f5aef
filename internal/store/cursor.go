package store

import (
	"encoding/base64"
	"encoding/json"

	"github.com/scoutdev/scout/internal/scout"
)

// EncodeCursor turns a keyset position into an opaque cursor string.
func EncodeCursor(pos any) string {
	b, err := json.Marshal(pos)
	if err != nil {
		panic("store: cursor position must marshal: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor into pos. A cursor that
// was not made by EncodeCursor is a scout.ErrInvalid for the "cursor" field.
func DecodeCursor(cursor string, pos any) error {
	if len(cursor) > 512 {
		return scout.Invalid("cursor", "is too long")
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return scout.Invalid("cursor", "is not a cursor from a previous page")
	}
	if err := json.Unmarshal(b, pos); err != nil {
		return scout.Invalid("cursor", "is not a cursor from a previous page")
	}
	return nil
}
