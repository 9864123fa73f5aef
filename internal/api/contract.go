package api

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// tagDescriptions declare every tag an operation may carry, so that the
// document groups operations under described headings.
var tagDescriptions = map[string]string{
	"auth":          "Log in, refresh and end sessions, and see who you are.",
	"users":         "People and service accounts (admin).",
	"api-keys":      "Long-lived, scoped credentials for other programs.",
	"sources":       "Feeds Scout fetches, their fetch history, OPML import and export, feed discovery.",
	"items":         "What the sources published, with the opportunity read from each item; filters and full-text search.",
	"common-grants": "The opportunities you can see as CommonGrants records (HHS's open grants protocol), for any CommonGrants client; Scout's extensions are in customFields.",
	"opportunities": "Each real call once, merged from every place it was posted (its sightings) that you may see; what you are served of it (its fields, created_at, updated_at, version) follows those sightings alone. An operator merges and splits.",
	"entities":      "Organizations, places and other things the items name, and the items naming them.",
	"enrichment":    "The queue other programs claim items from, and the results they write back.",
	"stats":         "Dashboard numbers.",
	"digest":        "Digest preferences, the ranked digest, and its Atom and iCalendar feeds.",
	"changes":       "Every change in commit order, as pages or as a live event stream, for sync.",
	"operations":    "Liveness and readiness checks for orchestrators.",
}

// opDescriptions say more than an operation's summary where the summary
// alone does not tell a client what to expect.
var opDescriptions = map[string]string{
	"claimEnrichment":               "Leases up to limit items that the named enricher has not processed yet, for lease_seconds. Items leased to another caller are skipped; an item whose lease expired is handed out again.",
	"createAPIKey":                  "Creates a key with the given scopes (within what your role allows). The key itself is in the answer only; Scout keeps its SHA-256.",
	"createSource":                  "Adds a feed (private to you unless visibility is public). The URL must be http or https and may not point at a private, loopback or metadata address. The first fetch is queued, not done in the request.",
	"createToken":                   "Trades an e-mail and password for a 15-minute access token and a refresh token. Attempts are limited per client address and per account; a failure never says which of the two was wrong.",
	"createUser":                    "Creates a user; without a password the account can only use API keys.",
	"deleteSource":                  "Tombstones a source you own (any source for an admin): its items disappear from lists and the change stream records the deletion.",
	"discoverFeeds":                 "Fetches a web page through the guarded client and lists the feeds it links to, or probes the usual feed paths when it links none. Candidates at addresses Scout may not fetch are left out.",
	"exportOPML":                    "Every source you can see as an OPML 2.0 subscription list.",
	"getEntity":                     "One entity and a page of the items you can see that name it.",
	"getItem":                       "One item with its sanitized HTML, its entities and every enrichment written for it.",
	"getMe":                         "The user behind the credential, with the scopes the credential carries.",
	"getPreferences":                "Your digest preferences; defaults when you have set none.",
	"getSource":                     "One source you can see, with its fetch state.",
	"healthz":                       "Answers as long as the process serves HTTP; it checks nothing else.",
	"importOPML":                    "Adds each feed of an OPML document as a private source of yours and reports, per outline, whether it was created, found existing (yours already, or public: a source is one per owner by kind, normalized URL and configuration), or refused.",
	"listAPIKeys":                   "Your keys, newest first, without the keys themselves.",
	"listEntities":                  "Entities by type and name prefix, in id order, one page at a time.",
	"listFetches":                   "The newest fetch logs of a source you can see: status, bytes, duration, new and updated items, and the error of a failed fetch.",
	"listCommonGrantsOpportunities": "The opportunities you can see (as on /v1/opportunities: through the sightings you may see), as CommonGrants OpportunityBase records, most recently modified first as you see them (lastModifiedAt: the latest change to what you may see, so a change you cannot see moves nothing), by numbered page. A page costs the changes above its end; the total is counted only with total=true (a pass over every opportunity you can see) or when the list ends within the page.",
	"getCommonGrantsOpportunity":    "One opportunity as a CommonGrants OpportunityBase record, named by its CommonGrants id; 404 when you see none of its sightings or the id is not one Scout made.",
	"listItemEntities":              "The entities an item names, with their role and the confidence of each link.",
	"listItems":                     "Items from the sources you can see, newest first unless sort says otherwise, one page at a time. Array parameters take a comma-separated list or the parameter repeated (status=open&status=rolling).",
	"listSources":                   "The sources you can see (yours, the public ones, and every source for an admin), one page at a time.",
	"listUsers":                     "Every user, in id order, one page at a time.",
	"markDigestRead":                "Marks the digest that carried cursor read, so that later digests start after it.",
	"putEnrichment":                 "Creates or replaces one enricher's result for an item, bumping its version. Its kind, deadline and amounts become the item's own only for enrichers ranked in SCOUT_ENRICHER_PRECEDENCE.",
	"putPreferences":                "Replaces your digest preferences as a whole.",
	"readyz":                        "Answers 200 when the database answers within two seconds, 503 otherwise.",
	"refreshSource":                 "Makes a source you own due now and puts it at the head of its host's queue: a worker fetches it at the next claim, within a second or two, unless its host is saturated (every slot the host's politeness limit allows is taken by fetches in flight or by sources refreshed before it). The answer says which, how many fetches to the host are in flight and how many of its sources are ahead.",
	"refreshToken":                  "Trades a refresh token for a new pair.",
	"revokeAPIKey":                  "Revokes one of your keys at once.",
	"updateSource":                  "Changes the fields you send of a source you own; the others stay as they are.",
	"updateUser":                    "Changes the fields you send of a user: name, admin role, disabled.",
}

// completeContract finishes the document after every operation is
// registered: it declares every response Scout can send for each operation
// (the screen's 400, 413, 415 and 431, the rate limit's 429 with
// Retry-After, 422, 500), marks open operations with an empty security
// requirement, declares the tags, gives each operation a description, and
// keeps request defaults out of the schemas' keywords (see
// describeDefault), and declares the lists of answers never null (see
// bodySchemas).
func (h *Handler) completeContract() {
	doc := h.api.OpenAPI()
	used := map[string]bool{}
	for _, item := range doc.Paths {
		for _, o := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
			if o == nil {
				continue
			}
			for _, t := range o.Tags {
				used[t] = true
			}
			if o.Description == "" {
				o.Description = opDescriptions[o.OperationID]
			}
			if o.Description == "" {
				o.Description = o.Summary + "."
			}
			if len(o.Security) == 0 {
				o.Security = []map[string][]string{}
			}
			declareErrors(o)
		}
	}
	requests, responses := bodySchemas(doc)
	for s := range requests {
		describeDefault(s)
	}
	for s := range responses {
		if !requests[s] && s.Type == huma.TypeArray {
			s.Nullable = false // see bodySchemas
		}
	}
	names := make([]string, 0, len(used))
	for t := range used {
		names = append(names, t)
	}
	sort.Strings(names)
	doc.Tags = nil
	for _, t := range names {
		d := tagDescriptions[t]
		if d == "" {
			d = "Operations on " + t + "."
		}
		doc.Tags = append(doc.Tags, &huma.Tag{Name: t, Description: d})
	}
}

// errorAnswers are the problem responses every operation may give, with
// what causes them.
var errorAnswers = map[int]string{
	http.StatusBadRequest:                  "The request cannot be read: malformed JSON, an unreadable body, a query that cannot be parsed, a repeated parameter that is not a list, a cursor this server did not issue, or a path or header holding invalid UTF-8 or control characters.",
	http.StatusRequestHeaderFieldsTooLarge: "The request headers are too large.",
	http.StatusUnprocessableEntity:         "Input breaks a rule (invalid UTF-8, NUL or control characters included); errors[].location names the field.",
	http.StatusTooManyRequests:             "Too many requests; retry after the number of seconds in Retry-After.",
	http.StatusInternalServerError:         "A server fault; the detail is generic and the cause is logged.",
}

// bodyAnswers are the problem responses of operations with a request body.
var bodyAnswers = map[int]string{
	http.StatusRequestEntityTooLarge: "The body exceeds the server's limit (SCOUT_MAX_BODY_BYTES).",
	http.StatusUnsupportedMediaType:  "The body's Content-Type is not one the operation reads.",
}

func declareErrors(o *huma.Operation) {
	if o.Responses == nil {
		o.Responses = map[string]*huma.Response{}
	}
	add := func(answers map[int]string) {
		for status, desc := range answers {
			key := strconv.Itoa(status)
			r := o.Responses[key]
			if r == nil {
				r = &huma.Response{}
				o.Responses[key] = r
			}
			if r.Description == "" || r.Description == http.StatusText(status) {
				r.Description = desc
			}
			if r.Content == nil {
				r.Content = map[string]*huma.MediaType{"application/problem+json": {Schema: &huma.Schema{Ref: "#/components/schemas/ErrorModel"}}}
			}
			if status == http.StatusTooManyRequests {
				if r.Headers == nil {
					r.Headers = map[string]*huma.Param{}
				}
				r.Headers["Retry-After"] = &huma.Param{Description: "seconds to wait before the next request",
					Schema: &huma.Schema{Type: huma.TypeInteger, Minimum: floatPtr(1)}}
			}
		}
	}
	add(errorAnswers)
	if o.RequestBody != nil {
		add(bodyAnswers)
	}
}

func floatPtr(f float64) *float64 { return &f }

// bodySchemas returns the schemas of request bodies and those of
// responses, each with every schema they refer to or contain. Scout always
// answers a list as an array ([] when empty: see nonNil and mapSlice), but
// huma declares every Go slice nullable, so generated clients would make
// every consumer test each list for null: the arrays of schemas only
// responses use are declared never null. Request schemas keep nullable
// arrays (a client may send null). The test server validates every
// response against these schemas, so a null answered where an array is
// declared fails the tests.
func bodySchemas(doc *huma.OpenAPI) (requests, responses map[*huma.Schema]bool) {
	reg := doc.Components.Schemas
	requests, responses = map[*huma.Schema]bool{}, map[*huma.Schema]bool{}
	for _, item := range doc.Paths {
		for _, o := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
			if o == nil {
				continue
			}
			if o.RequestBody != nil {
				for _, mt := range o.RequestBody.Content {
					reachable(reg, mt.Schema, requests)
				}
			}
			for _, res := range o.Responses {
				for _, mt := range res.Content {
					reachable(reg, mt.Schema, responses)
				}
			}
		}
	}
	return requests, responses
}

// reachable adds s and every schema it refers to or contains to seen.
func reachable(reg huma.Registry, s *huma.Schema, seen map[*huma.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if s.Ref != "" {
		reachable(reg, reg.SchemaFromRef(s.Ref), seen)
		return
	}
	for _, p := range s.Properties {
		reachable(reg, p, seen)
	}
	reachable(reg, s.Items, seen)
	if ap, ok := s.AdditionalProperties.(*huma.Schema); ok {
		reachable(reg, ap, seen)
	}
	for _, list := range [][]*huma.Schema{s.OneOf, s.AnyOf, s.AllOf} {
		for _, sub := range list {
			reachable(reg, sub, seen)
		}
	}
}

// describeDefault moves the default of a request schema from the default
// keyword into the description. Code generators such as openapi-typescript
// (with its default options) make a property with a default required in the
// request type, so that {"url": …} would not type-check although the server
// fills in the rest; the server applies the defaults from the Go types
// whatever the document says.
func describeDefault(s *huma.Schema) {
	if s.Default == nil {
		return
	}
	note := fmt.Sprintf("Default: %v.", s.Default)
	if s.Description == "" {
		s.Description = note
	} else if !strings.Contains(s.Description, note) {
		s.Description = strings.TrimRight(s.Description, ".") + ". " + note
	}
	s.Default = nil
}
