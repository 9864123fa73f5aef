package api

import (
	"embed"
	"net/http"
	"path"
)

// docsFiles is the offline documentation page: plain HTML, CSS and a small
// script that renders /openapi.json. Nothing is loaded from another origin.
//
//go:embed docs/index.html docs/docs.css docs/docs.js
var docsFiles embed.FS

var docsTypes = map[string]string{
	"index.html": "text/html; charset=utf-8",
	"docs.css":   "text/css; charset=utf-8",
	"docs.js":    "text/javascript; charset=utf-8",
}

// serveDocs serves /docs and its two assets under a policy that lets the
// page load only its own files and the OpenAPI document.
func serveDocs(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	if r.URL.Path == "/docs" || r.URL.Path == "/docs/" {
		name = "index.html"
	}
	ct, ok := docsTypes[name]
	if !ok {
		writeProblem(w, http.StatusNotFound, "no such documentation file")
		return
	}
	b, err := docsFiles.ReadFile("docs/" + name)
	if err != nil {
		writeProblem(w, http.StatusNotFound, "no such documentation file")
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'")
	_, _ = w.Write(b)
}
