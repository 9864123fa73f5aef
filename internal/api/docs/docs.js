// Renders /openapi.json without any third-party code: operations grouped by
// tag, their parameters, bodies and responses, then every schema. Text from
// the document is inserted with textContent only, never as HTML.
"use strict";

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const k of kids) if (k != null) e.append(k);
  return e;
}

function refName(ref) { return ref.split("/").pop(); }

function typeOf(s) {
  if (!s) return "";
  if (s.$ref) { const n = refName(s.$ref); return el("a", {href: "#schema-" + n}, n); }
  if (s.type === "array") { const t = typeOf(s.items); return el("span", {}, "array of ", t); }
  let t = Array.isArray(s.type) ? s.type.join(" | ") : (s.type || "any");
  if (s.format) t += " (" + s.format + ")";
  if (s.enum) t += " — one of " + s.enum.join(", ");
  return t;
}

function limits(s) {
  if (!s) return "";
  const out = [];
  for (const k of ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "pattern", "default"]) {
    if (s[k] !== undefined) out.push(k + "=" + JSON.stringify(s[k]));
  }
  return out.join(" ");
}

function bodyRow(label, content) {
  if (!content) return null;
  const rows = Object.entries(content).map(([ct, m]) => el("tr", {}, el("td", {}, el("code", {}, ct)), el("td", {}, typeOf(m.schema))));
  return el("div", {}, el("strong", {}, label), el("table", {}, ...rows));
}

function operation(path, method, op) {
  const params = (op.parameters || []).map(p => el("tr", {},
    el("td", {}, el("code", {}, p.name), p.required ? " *" : ""), el("td", {}, p.in),
    el("td", {}, typeOf(p.schema)), el("td", {}, limits(p.schema)), el("td", {}, p.description || (p.schema && p.schema.description) || "")));
  const responses = Object.entries(op.responses || {}).map(([code, r]) => el("tr", {},
    el("td", {}, code), el("td", {}, r.description || ""),
    el("td", {}, ...Object.entries(r.content || {}).map(([ct, m]) => el("div", {}, el("code", {}, ct), " ", typeOf(m.schema))))));
  const lock = op.security && op.security.length ? el("span", {class: "lock"}, " 🔒 bearer") : null;
  return el("div", {class: "op", id: op.operationId},
    el("h3", {}, el("span", {class: "m " + method}, method), " ", el("code", {}, path), lock),
    el("p", {}, op.summary || ""), op.description ? el("p", {}, op.description) : null,
    params.length ? el("table", {}, el("tr", {}, ...["parameter", "in", "type", "limits", ""].map(h => el("th", {}, h))), ...params) : null,
    op.requestBody ? bodyRow("Request body", op.requestBody.content) : null,
    el("details", {}, el("summary", {}, "Responses"), el("table", {}, ...responses)));
}

function schema(name, s) {
  const req = new Set(s.required || []);
  const rows = Object.entries(s.properties || {}).map(([p, ps]) => el("tr", {},
    el("td", {}, el("code", {}, p), req.has(p) ? " *" : ""), el("td", {}, typeOf(ps)), el("td", {}, limits(ps)), el("td", {}, ps.description || "")));
  return el("div", {class: "op", id: "schema-" + name}, el("h3", {}, name), s.description ? el("p", {}, s.description) : null,
    rows.length ? el("table", {}, ...rows) : el("p", {}, typeOf(s)));
}

async function main() {
  const doc = await (await fetch("/openapi.json")).json();
  document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
  document.getElementById("description").textContent = doc.info.description || "";
  const groups = {};
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      const tag = (op.tags && op.tags[0]) || "other";
      (groups[tag] = groups[tag] || []).push(operation(path, method, op));
      document.getElementById("toc").append(el("a", {href: "#" + op.operationId}, method.toUpperCase() + " " + path));
    }
  }
  const ops = document.getElementById("ops");
  ops.replaceChildren();
  for (const tag of Object.keys(groups).sort()) ops.append(el("h2", {}, tag), ...groups[tag]);
  const schemas = (doc.components && doc.components.schemas) || {};
  document.getElementById("schemas").append(el("h2", {}, "Schemas"),
    ...Object.keys(schemas).sort().map(n => schema(n, schemas[n])));
}

main().catch(err => { document.getElementById("ops").textContent = "Could not load /openapi.json: " + err; });
