package fetch

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
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

// stream hands resp's decoded body to read, capped at MaxStreamBody. out
// is filled in (Bytes) as the body is read, so read may look at it.
func (c *Client) stream(parent, tctx context.Context, st *getState, resp *http.Response, out *Response,
	read func(*Response, io.Reader) error) error {
	wire := &counter{r: resp.Body}
	defer func() { out.Bytes = wire.n }()
	limit := c.opts.MaxStreamBody
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if (enc == "" || enc == "identity") && resp.ContentLength > limit {
		return c.fail(parent, tctx, st, bodyTooLarge(limit))
	}
	r, err := decoder(enc, wire)
	if err != nil {
		return c.fail(parent, tctx, st, err)
	}
	body := &cappedReader{r: r, left: limit, limit: limit}
	err = read(out, body)
	if body.err != nil {
		return c.fail(parent, tctx, st, body.err)
	}
	if err == nil && tctx.Err() != nil {
		return c.fail(parent, tctx, st, tctx.Err())
	}
	return err
}

// cappedReader fails with a *tooLargeError once more than limit bytes came
// through, and remembers the first failure of the body other than its end,
// so that stream can tell it from the reader's own complaints.
type cappedReader struct {
	r           io.Reader
	left, limit int64
	err         error
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if int64(n) > c.left {
		c.err = bodyTooLarge(c.limit)
		return 0, c.err
	}
	c.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		c.err = fmt.Errorf("read body: %w", err)
		return n, c.err
	}
	return n, err
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
