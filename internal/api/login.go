package api

import "time"

// Threat: password spraying and guessing. One address trying many e-mails
// (spraying), many addresses trying one account (a distributed guess), and
// each attempt burning an argon2id hash. Three limits apply to logins:
//
//   - per address, across e-mails (loginAddrs): bounds spraying from one
//     address;
//   - per address and e-mail (logins): bounds guessing one account from one
//     address;
//   - per account, counting failures only (loginFails): bounds guessing one
//     account from many addresses.
//
// The per-account limit must not let an attacker lock the owner out: once
// it is exhausted, an address that has made no attempt at this account for
// a while (its own bucket is full) may still try, so the owner logging in
// from their usual place gets in while the addresses that keep failing stay
// refused. Every answer is the same 429 with Retry-After, whether or not the
// account exists. The hashing itself is bounded by the authenticator
// (auth.Options.MaxConcurrentHashes, and a short queue beyond which logins
// are refused at once).

// admitLogin applies the limits before a login is checked.
func (h *Handler) admitLogin(ip, email string) error {
	if wait, ok := h.loginAddrs.allow("ip:" + ip); !ok {
		return tooMany(wait)
	}
	fresh := h.logins.idle(ip + "|" + email)
	if wait, ok := h.logins.allow(ip + "|" + email); !ok {
		return tooMany(wait)
	}
	if wait, ok := h.loginFails.available(email); !ok && !fresh {
		return tooMany(max(wait, time.Second))
	}
	return nil
}

// loginFailed counts a failed login against the account.
func (h *Handler) loginFailed(email string) { h.loginFails.allow(email) }
