package fetch

import (
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
		return nil, 0, &tooLargeError{limit: limit}
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

// readCapped reads r to the end into a buffer that never grows past
// limit+1 bytes, so a decompression bomb costs at most about limit bytes of
// memory. hint is the expected size (Content-Length), or -1.
func readCapped(r io.Reader, limit, hint int64) ([]byte, error) {
	size := int64(32 << 10)
	if hint > 0 {
		size = hint + 1 // +1 so the final read sees EOF without growing
	}
	buf := make([]byte, 0, min(size, limit+1))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, &tooLargeError{limit: limit}
			}
			next := min(2*int64(cap(buf)), limit+1)
			buf = append(make([]byte, 0, next), buf...)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			if int64(len(buf)) > limit {
				return nil, &tooLargeError{limit: limit}
			}
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
	}
}
