package api

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io"
	"net/http"
	"path"
	"strings"
)

// swaggerUIVersion is the swagger-ui-dist release from npm embedded in
// docs/ (docs/update.sh replaces it).
const swaggerUIVersion = "5.35.0"

// docsFiles is the documentation page: Swagger UI's standalone bundle,
// stored gzipped, and a small page and script that start it on
// /openapi.json. Nothing is loaded from another origin.
//
//go:embed docs/index.html docs/docs.js docs/swagger-ui-bundle.js.gz docs/swagger-ui.css.gz
var docsFiles embed.FS

// docsTypes are the files /docs serves; the .gz ones are read from their
// gzipped copy.
var docsTypes = map[string]string{
	"index.html":           "text/html; charset=utf-8",
	"docs.js":              "text/javascript; charset=utf-8",
	"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
	"swagger-ui.css":       "text/css; charset=utf-8",
}

// docsCSP lets the page run only its own scripts and styles and talk only to
// this server: Try it out calls the API on the same origin. Swagger UI's
// stylesheet draws a few icons from data: images.
const docsCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// serveDocs serves /docs and its assets.
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
	b, gzipped, err := readDocsFile(name)
	if err != nil {
		writeProblem(w, http.StatusNotFound, "no such documentation file")
		return
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Security-Policy", docsCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Swagger-UI-Version", swaggerUIVersion)
	if gzipped {
		h.Set("Cache-Control", "public, max-age=86400")
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			_, _ = w.Write(b)
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			writeProblem(w, http.StatusInternalServerError, "documentation file unreadable")
			return
		}
		_, _ = io.Copy(w, zr)
		return
	}
	_, _ = w.Write(b)
}

// readDocsFile returns an embedded file, or its gzipped copy and true.
func readDocsFile(name string) ([]byte, bool, error) {
	if b, err := docsFiles.ReadFile("docs/" + name); err == nil {
		return b, false, nil
	}
	b, err := docsFiles.ReadFile("docs/" + name + ".gz")
	return b, true, err
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
