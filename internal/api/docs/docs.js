// Starts Swagger UI (embedded, see update.sh) on this server's own
// /openapi.json. Nothing is loaded from another origin: the validator badge
// is off, and "Try it out" sends requests to this page's origin.
"use strict";

// opPath returns Swagger UI's deep link for an operationId, so that
// /docs#listItems opens and scrolls to that operation.
function opPath(spec, id) {
  for (const item of Object.values(spec.paths || {})) {
    for (const op of Object.values(item)) {
      if (op && op.operationId === id) {
        const tag = (op.tags && op.tags[0]) || "default";
        return "#/" + encodeURIComponent(tag) + "/" + encodeURIComponent(id);
      }
    }
  }
  return "";
}

function plainID() {
  const m = /^#([A-Za-z][A-Za-z0-9_-]*)$/.exec(location.hash);
  return m ? m[1] : "";
}

function start(spec) {
  spec.servers = [{url: location.origin, description: "this Scout server"}];
  const link = plainID() && opPath(spec, plainID());
  if (link) history.replaceState(null, "", link);
  window.ui = SwaggerUIBundle({
    spec: spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    filter: true,
    tryItOutEnabled: false,
    displayOperationId: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
}

window.addEventListener("hashchange", function () {
  // A link to a bare operationId, followed on this page.
  if (plainID()) location.reload();
});

fetch("/openapi.json")
  .then(function (r) { return r.json(); })
  .then(start)
  .catch(function (err) {
    document.getElementById("swagger-ui").textContent = "Could not load /openapi.json: " + err;
  });
