package fetch

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// counter counts the bytes that come off the wire.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readBody reads resp's body, decoding its Content-Encoding, and fails with a
// *tooLargeError once the decoded size passes limit. It returns the decoded
// body and the number of wire bytes read.
func readBody(resp *http.Response, limit int64) ([]byte, int64, error) {
	wire := &counter{r: resp.Body}
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if (enc == "" || enc == "identity") && resp.ContentLength > limit {
		return nil, 0, bodyTooLarge(limit)
	}
	r, err := decoder(enc, wire)
	if err != nil {
		return nil, wire.n, err
	}
	body, err := readCapped(r, limit, resp.ContentLength)
	return body, wire.n, err
}

// decoder undoes a Content-Encoding. Scout asks only for gzip, but some
// servers send deflate anyway.
func decoder(enc string, r io.Reader) (io.Reader, error) {
	switch enc {
	case "", "identity":
		return r, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("decode gzip body: %w", err)
		}
		return zr, nil
	case "deflate":
		zr, err := zlib.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("decode deflate body: %w", err)
		}
		return zr, nil
	}
	return nil, fmt.Errorf("unsupported content encoding %q", enc)
}

// readCapped reads r to the end, allocating chunks that never add up to
// more than limit+1 bytes, so a decompression bomb costs about limit bytes of
// memory before it is refused. hint is the expected size (Content-Length),
// or -1; when it is right the body is read into one exact allocation.
func readCapped(r io.Reader, limit, hint int64) ([]byte, error) {
	size := int64(16 << 10)
	if hint >= 0 {
		size = hint + 1 // +1 so that reading a correct body ends with EOF
	}
	var chunks [][]byte
	var total int64
	for {
		chunk := make([]byte, min(size, limit+1-total))
		n, err := fill(r, chunk)
		chunks = append(chunks, chunk[:n])
		total += int64(n)
		if total > limit {
			return nil, bodyTooLarge(limit)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
		size = min(2*size, maxChunk)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	return bytes.Join(chunks, nil), nil
}

const maxChunk = 1 << 20

// fill reads until p is full or r fails; unlike io.ReadFull it passes on
// r's own error, so a truncated body is not mistaken for a clean end.
func fill(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
