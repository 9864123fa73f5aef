// Package auth owns Scout's credentials and the principal: argon2id password
// hashes, API keys (random secrets stored as SHA-256), HS256 JWT access and
// refresh tokens, the signing secret on disk, and the Principal that the rest
// of the service reads from a context to decide what a caller may do.
//
// It resolves a bearer credential into a Principal through the Credentials
// interface it declares; the store implements that interface. It does no HTTP
// routing and reads no headers: the API layer extracts the bearer string and
// maps the errors returned here (which wrap scout.ErrUnauthenticated or
// scout.ErrInvalid) to responses.
//
// Among Scout's packages it imports only scout.
package auth
