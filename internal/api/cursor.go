package api

import (
	"crypto/hmac"
	"encoding/base64"
	"reflect"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
)

// Threat: a list cursor is a keyset position the client hands back. One it
// made up (well-formed, but never issued) used to be answered with an empty
// or a first page, silently wrong data, and lets a client probe positions.
// Every cursor in a "next" field is therefore sealed with a MAC under the
// signing secret (shared by every replica), and a cursor query parameter that
// does not carry a valid seal is refused with 400 before any handler reads
// it. Numeric cursors (the change stream's change ids) are positions a
// client may pick on purpose and stay unsealed.

// cursorPurpose separates cursor MACs from any other use of the secret.
const cursorPurpose = "scout list cursor v1"

// sealSep joins a store cursor and its seal; it never occurs in either.
const sealSep = "~"

// sealCursor returns c with its seal appended.
func (h *Handler) sealCursor(c string) string {
	return c + sealSep + base64.RawURLEncoding.EncodeToString(h.auth.MAC(cursorPurpose, []byte(c)))
}

// openCursor checks a sealed cursor and returns the store cursor inside.
func (h *Handler) openCursor(sealed string) (string, bool) {
	c, mac, ok := strings.Cut(sealed, sealSep)
	if !ok {
		return "", false
	}
	got, err := base64.RawURLEncoding.DecodeString(mac)
	if err != nil {
		return "", false
	}
	return c, hmac.Equal(got, h.auth.MAC(cursorPurpose, []byte(c)))
}

// screenCursor opens the cursor query parameter in place; digits only
// (a change id) pass unchanged.
func (h *Handler) screenCursor(vs []string) *inputError {
	for i, v := range vs {
		if v == "" || allDigits(v) {
			continue
		}
		c, ok := h.openCursor(v)
		if !ok {
			return badInput(400, "cursor is not one this server issued: pass the next value of the previous page unchanged", "")
		}
		vs[i] = c
	}
	return nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// nextFields caches, per response body type, the index of its string field
// named "next" in JSON, or -1.
var nextFields sync.Map

// nextField returns the index of t's "next" string field, or -1.
func nextField(t reflect.Type) int {
	if v, ok := nextFields.Load(t); ok {
		return v.(int)
	}
	idx := -1
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "next" && f.Type.Kind() == reflect.String {
			idx = i
			break
		}
	}
	nextFields.Store(t, idx)
	return idx
}

// sealTransformer seals the "next" cursor of every response body that has
// one, so that each list operation hands out sealed cursors without doing
// anything itself.
func (h *Handler) sealTransformer(_ huma.Context, _ string, v any) (any, error) {
	rv := reflect.ValueOf(v)
	isPtr := rv.Kind() == reflect.Pointer
	if isPtr {
		if rv.IsNil() {
			return v, nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return v, nil
	}
	i := nextField(rv.Type())
	if i < 0 || rv.Field(i).String() == "" {
		return v, nil
	}
	if !isPtr {
		cp := reflect.New(rv.Type()).Elem()
		cp.Set(rv)
		rv = cp
	}
	rv.Field(i).SetString(h.sealCursor(rv.Field(i).String()))
	if isPtr {
		return v, nil
	}
	return rv.Interface(), nil
}
