package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/scoutdev/scout/internal/scout"
)

// Token types, carried in the "typ" claim so that a refresh token is never
// accepted where an access token is expected, and the reverse.
const (
	typAccess  = "access"
	typRefresh = "refresh"
)

// wrongTyp is the reason given when a token of the other type is presented.
var wrongTyp = map[string]string{typAccess: "not an access token", typRefresh: "not a refresh token"}

const (
	// leeway absorbs clock skew between replicas when checking exp, nbf and iat.
	leeway = 30 * time.Second
	// maxTokenBytes bounds the input handed to the JWT parser.
	maxTokenBytes = 4096
)

// TokenPair is what a login or a refresh hands back.
type TokenPair struct {
	Access           string    // short-lived JWT for the Authorization header
	AccessExpiresAt  time.Time // when Access stops being accepted
	Refresh          string    // long-lived JWT accepted only to get a new pair
	RefreshExpiresAt time.Time // when Refresh stops being accepted
}

// claims are the JWT claims Scout writes. Whether the user is an admin is
// deliberately absent: it is looked up on every request, so that demoting or
// disabling a user takes effect before their tokens expire.
type claims struct {
	Typ string `json:"typ"`
	Sid int64  `json:"sid,omitempty"` // the session, for tokens issued at login or refresh
	jwt.RegisteredClaims
}

// userID is the subject as a user ID.
func (c claims) userID() (int64, bool) {
	id, err := strconv.ParseInt(c.Subject, 10, 64)
	return id, err == nil && id > 0
}

// IssueTokens signs an access token and a refresh token for user, valid from
// now. It refuses a disabled user or one without an ID.
func (a *Authenticator) IssueTokens(user scout.User, now time.Time) (TokenPair, error) {
	if user.ID <= 0 {
		return TokenPair{}, fmt.Errorf("issue tokens: user has no id")
	}
	if user.Disabled {
		return TokenPair{}, fmt.Errorf("issue tokens for user %d: %w", user.ID, unauthenticated("user disabled"))
	}
	jti, err := randomID()
	if err != nil {
		return TokenPair{}, fmt.Errorf("issue tokens: %w", err)
	}
	return a.issue(user, 0, jti, now)
}

// issue signs a pair for user in session sid (0: none), the refresh token
// with id refreshID.
func (a *Authenticator) issue(user scout.User, sid int64, refreshID string, now time.Time) (TokenPair, error) {
	var p TokenPair
	var err error
	access, err := randomID()
	if err != nil {
		return TokenPair{}, fmt.Errorf("issue tokens: %w", err)
	}
	p.AccessExpiresAt = now.Add(a.accessTTL)
	if p.Access, err = a.sign(typAccess, user.ID, sid, access, now, p.AccessExpiresAt); err != nil {
		return TokenPair{}, err
	}
	p.RefreshExpiresAt = now.Add(a.refreshTTL)
	if p.Refresh, err = a.sign(typRefresh, user.ID, sid, refreshID, now, p.RefreshExpiresAt); err != nil {
		return TokenPair{}, err
	}
	return p, nil
}

// VerifyAccess checks an access token at now and returns the user ID it was
// issued to. Any failure (bad signature, another algorithm than HS256, wrong
// issuer or audience, expired, not yet valid, a refresh token) wraps
// scout.ErrUnauthenticated with a short reason. The user's current state is
// not checked here; Authenticate does that.
func (a *Authenticator) VerifyAccess(token string, now time.Time) (int64, error) {
	return a.verifyToken(typAccess, token, now)
}

// VerifyRefresh checks a refresh token at now and returns the user ID it was
// issued to, failing like VerifyAccess. An access token is refused.
func (a *Authenticator) VerifyRefresh(token string, now time.Time) (int64, error) {
	return a.verifyToken(typRefresh, token, now)
}

// sign makes one HS256 token of type typ for userID in session sid.
func (a *Authenticator) sign(typ string, userID, sid int64, jti string, now, exp time.Time) (string, error) {
	c := claims{Typ: typ, Sid: sid, RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    a.issuer,
		Subject:   strconv.FormatInt(userID, 10),
		Audience:  jwt.ClaimStrings{a.audience},
		ExpiresAt: jwt.NewNumericDate(exp),
		NotBefore: jwt.NewNumericDate(now),
		IssuedAt:  jwt.NewNumericDate(now),
		ID:        jti,
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(a.secret)
	if err != nil {
		return "", fmt.Errorf("sign %s token: %w", typ, err)
	}
	return s, nil
}

// verifyToken parses token, checks its signature and claims at now, and
// returns its subject as a user ID.
func (a *Authenticator) verifyToken(typ, token string, now time.Time) (int64, error) {
	c, err := a.verifyClaims(typ, token, now)
	if err != nil {
		return 0, err
	}
	id, _ := c.userID()
	return id, nil
}

// verifyClaims parses token and checks its signature and claims at now.
func (a *Authenticator) verifyClaims(typ, token string, now time.Time) (claims, error) {
	if token == "" || len(token) > maxTokenBytes {
		return claims{}, unauthenticated("malformed token")
	}
	parser := jwt.NewParser(
		// Only HS256: this refuses "none" and the classic confusion of an
		// RS256 header verified with the HMAC secret as a public key.
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(a.issuer),
		jwt.WithAudience(a.audience),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	var c claims
	_, err := parser.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return a.secret, nil })
	if err != nil {
		return claims{}, unauthenticated(tokenReason(err))
	}
	if c.Typ != typ {
		return claims{}, unauthenticated(wrongTyp[typ])
	}
	if _, ok := c.userID(); !ok {
		return claims{}, unauthenticated("token has no valid subject")
	}
	return c, nil
}

// tokenReason turns a jwt parse error into a short reason fit for a client.
func tokenReason(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "token not valid yet"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "token signature invalid"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "token not issued for this service"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "token lacks a required claim"
	}
	return "malformed token"
}

// randomID returns 16 random bytes in unpadded URL-safe base64, for jti.
func randomID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// unauthenticated returns an error wrapping scout.ErrUnauthenticated that
// reads "reason: unauthenticated".
func unauthenticated(reason string) error {
	return fmt.Errorf("%s: %w", reason, scout.ErrUnauthenticated)
}

// MAC returns a 16-byte keyed digest of msg for purpose, made with the
// signing secret, so that a value Scout hands out (a list cursor) can be
// recognised when it comes back without being stored. Different purposes
// never share digests.
func (a *Authenticator) MAC(purpose string, msg []byte) []byte {
	m := hmac.New(sha256.New, a.secret)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(msg)
	return m.Sum(nil)[:16]
}
