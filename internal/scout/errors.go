package scout

import (
	"errors"
	"fmt"
)

// Error kinds. Stores translate driver errors into these; the API maps them to
// HTTP statuses in one place. Test with errors.Is.
var (
	// ErrNotFound means the thing asked for does not exist, or the caller may not see it.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change collides with existing state (a duplicate key, a stale version).
	ErrConflict = errors.New("conflict")
	// ErrInvalid means the input breaks a rule; FieldError says which field and why.
	ErrInvalid = errors.New("invalid")
	// ErrForbidden means the caller is known but may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated means the caller did not prove who they are.
	ErrUnauthenticated = errors.New("unauthenticated")
)

// FieldError is a validation failure of one input field. It wraps ErrInvalid.
type FieldError struct {
	Field   string // the input field, e.g. "url" or "tags[2]"
	Message string // what is wrong, written for a user
}

// Error returns "field: message".
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Invalid returns a FieldError for field with a message built like fmt.Sprintf.
func Invalid(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}
