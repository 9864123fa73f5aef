package scout

// ExternalIdentity is a person as an external identity provider (OIDC)
// vouches for them, mapped to Scout's terms.
type ExternalIdentity struct {
	Key   string // the issuer and the subject, which together never change
	Email string // to find or create the Scout user on first use
	Name  string
	Admin *bool // the role the provider grants; nil leaves the user's role alone
}

// MaxIdentityKey bounds ExternalIdentity.Key.
const MaxIdentityKey = 1024
