// A consumer of the Scout API written against the types openapi-typescript
// generates from the served document with its default options, calling
// through openapi-fetch with its default options. The contract test
// type-checks it (strict) and runs it against a live server: every call
// the README shows, one for each operation with a request body, repeated
// array query parameters, and the response fields a consumer reads.
import createClient from "openapi-fetch";
import type { paths } from "./scout.js";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === "") throw new Error(`${name} is not set`);
  return v;
};

const base = env("SCOUT_URL");
const site = env("SCOUT_SITE"); // a loopback web site the server may fetch
const email = env("SCOUT_EMAIL");
const password = env("SCOUT_PASSWORD");

let token = "";
const client = createClient<paths>({ baseUrl: base });
client.use({
  onRequest({ request }) {
    if (token !== "") request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
});

// ok returns the data of a successful answer, and fails with the problem
// document otherwise.
function ok<T>(what: string, r: { data?: T; error?: unknown; response: Response }): T {
  if (r.data === undefined || !r.response.ok) {
    throw new Error(`${what}: ${r.response.status} ${JSON.stringify(r.error)}`);
  }
  return r.data;
}

function noContent(what: string, r: { response: Response; error?: unknown }): void {
  if (r.response.status !== 204) {
    throw new Error(`${what}: ${r.response.status} ${JSON.stringify(r.error)}`);
  }
}

function expect(what: string, cond: boolean): void {
  if (!cond) throw new Error(what);
}

async function main(): Promise<void> {
  // README: TOKEN=$(curl -s $B/v1/auth/token -d '{"email": …, "password": …}' | jq -r .access_token)
  const pair = ok("createToken", await client.POST("/v1/auth/token", { body: { email, password } }));
  const expiresIn: number = pair.expires_in;
  expect("a bearer token", pair.token_type === "Bearer" && pair.access_token.length > 0 && expiresIn > 0);
  token = pair.access_token;

  const refreshed = ok("refreshToken", await client.POST("/v1/auth/refresh", { body: { refresh_token: pair.refresh_token } }));
  token = refreshed.access_token;
  const me = ok("getMe", await client.GET("/v1/me"));
  expect("me", me.email === email && me.admin && me.scopes.includes("write"));

  // README: SRC=$(curl -s $B/v1/sources -d '{"url": …}' | jq .id)
  const src = ok("createSource", await client.POST("/v1/sources", { body: { url: `${site}/feed.xml` } }));
  const id: number = src.id;
  expect("defaults applied to a new source", src.kind === "feed" && src.visibility === "private" && src.url.endsWith("/feed.xml"));
  const renamed = ok("updateSource", await client.PATCH("/v1/sources/{id}", { params: { path: { id } }, body: { title: "Renamed" } }));
  expect("renamed", renamed.title === "Renamed");
  const sources = ok("listSources", await client.GET("/v1/sources", { params: { query: { limit: 10 } } }));
  expect("sources listed", sources.sources.some((s) => s.id === id));
  const fetches = ok("listFetches", await client.GET("/v1/sources/{id}/fetches", { params: { path: { id } } }));
  expect("fetches", Array.isArray(fetches.fetches));

  const preview = ok("previewSource", await client.POST("/v1/sources/preview", { body: { url: `${site}/feed.xml` } }));
  expect("preview read the feed", preview.items_total === 1 && preview.items[0]?.title === "Previewed call");
  const found = ok("discoverFeeds", await client.POST("/v1/discover", { body: { url: `${site}/` } }));
  expect("discovered", found.candidates.some((c) => c.url === `${site}/feed.xml`));

  // README: curl -s "$B/v1/items?kind=residency&status=open"; status is a list, sent repeated.
  const both = ok("listItems", await client.GET("/v1/items", { params: { query: { kind: "grant", status: ["open", "closed"], limit: 50 } } }));
  const open = ok("listItems open", await client.GET("/v1/items", { params: { query: { status: ["open"] } } }));
  const items = both.items;
  expect(`repeated status values each match: ${items.length} items for open+closed, ${open.items.length} open`,
    items.length === 2 && open.items.length === 1);
  const first = items[0];
  expect("an item", first !== undefined);
  if (first === undefined) return;
  const deadline: string | undefined = first.opportunity.deadline;
  expect("item fields", first.title.length > 0 && deadline !== undefined && first.opportunity.kind === "grant");
  const item = ok("getItem", await client.GET("/v1/items/{id}", { params: { path: { id: first.id } } }));
  expect("same item", item.id === first.id);
  ok("listItemEntities", await client.GET("/v1/items/{id}/entities", { params: { path: { id: first.id } } }));
  ok("getItemHistory", await client.GET("/v1/items/{id}/history", { params: { path: { id: first.id } } }));

  // README: the enrichment queue, {"enricher": …, "limit": 10}.
  const claim = ok("claimEnrichment", await client.POST("/v1/enrichment/claim", { body: { enricher: "tsclient", limit: 10 } }));
  expect("claimed", claim.items.length > 0 && claim.lease_until.length > 0);
  const enr = ok("putEnrichment", await client.PUT("/v1/items/{id}/enrichments/{enricher}", {
    params: { path: { id: first.id, enricher: "tsclient" } }, body: { summary: "Short summary" },
  }));
  expect("enrichment stored", enr.enricher === "tsclient" && enr.version >= 1);

  const opps = ok("listOpportunities", await client.GET("/v1/opportunities", { params: { query: { status: ["open", "closed"] } } }));
  const [into, from] = opps.opportunities;
  expect("two opportunities", into !== undefined && from !== undefined);
  if (into === undefined || from === undefined) return;
  const merged = ok("mergeOpportunities", await client.POST("/v1/opportunities/{id}/merge", {
    params: { path: { id: into.id } }, body: { from: from.id },
  }));
  expect("merged", merged.sightings.length === 2);
  const moved = merged.sightings[1];
  if (moved === undefined) return;
  ok("splitSighting", await client.POST("/v1/sightings/{id}/split", { params: { path: { id: moved.id } } }));
  ok("getOpportunity", await client.GET("/v1/opportunities/{id}", { params: { path: { id: into.id } } }));

  const cg = ok("listCommonGrantsOpportunities", await client.GET("/common-grants/opportunities", { params: { query: { pageSize: 1, total: true } } }));
  expect("a CommonGrants page", cg.status === 200 && cg.paginationInfo.pageSize === 1 && (cg.paginationInfo.totalItems ?? 0) >= 2 && cg.items.length === 1);
  const record = cg.items[0];
  if (record === undefined) return;
  const cgOne = ok("getCommonGrantsOpportunity", await client.GET("/common-grants/opportunities/{id}", { params: { path: { id: record.id } } }));
  const award: string | undefined = cgOne.data.funding.maxAwardAmount?.amount;
  expect("the same CommonGrants record, amounts as decimal strings", cgOne.data.id === record.id && (award === undefined || /^[0-9]/.test(award)));

  const prefs = ok("putPreferences", await client.PUT("/v1/me/preferences", { body: { keywords: ["grant"] } }));
  expect("preferences", prefs.version >= 1 && prefs.digest_frequency === "weekly");
  const digest = ok("getDigest", await client.GET("/v1/digest"));
  noContent("markDigestRead", await client.POST("/v1/digest/read", { body: { cursor: digest.cursor } }));

  const opml = `<?xml version="1.0"?><opml version="2.0"><body><outline type="rss" xmlUrl="${site}/other.xml"/></body></opml>`;
  const imported = ok("importOPML", await client.POST("/v1/opml", {
    body: opml, bodySerializer: (b: string) => b, headers: { "Content-Type": "text/x-opml" },
  }));
  expect("imported", imported.created === 1);

  const key = ok("createAPIKey", await client.POST("/v1/api-keys", { body: { name: "publisher", scopes: ["read"] } }));
  expect("a key", key.key.startsWith("sk_") && key.api_key.prefix.length > 0);
  const user = ok("createUser", await client.POST("/v1/users", { body: { email: "new@example.org", password: "a long enough password" } }));
  const updated = ok("updateUser", await client.PATCH("/v1/users/{id}", { params: { path: { id: user.id } }, body: { name: "New" } }));
  expect("user", updated.name === "New" && !updated.admin);
  ok("getStats", await client.GET("/v1/stats"));
  ok("listChanges", await client.GET("/v1/changes", { params: { query: { cursor: "0" } } }));

  const sessions = ok("listMySessions", await client.GET("/v1/me/sessions"));
  expect("the current session", sessions.sessions.some((s) => s.current === true));
  noContent("logout", await client.POST("/v1/auth/logout"));
  const after = await client.GET("/v1/me");
  expect(`the access token after logout: ${after.response.status}`, after.response.status === 401);
}

main().then(
  () => console.log("client: every call answered as typed"),
  (err: unknown) => {
    console.error(String(err));
    process.exitCode = 1;
  },
);
