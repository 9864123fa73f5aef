// Package sourcetest holds what the kinds' tests share.
package sourcetest

import (
	"bytes"
	"context"

	"github.com/scoutdev/scout/internal/fetch"
)

// Body is a source.Getter answering every request with one body of one
// content type, handed to Stream when the request reads as a stream: the
// fuzzers exercise parsing and mapping, not the network.
type Body struct {
	Bytes       []byte
	ContentType string
}

// Get answers r with the body.
func (b Body) Get(_ context.Context, r fetch.Request) (*fetch.Response, error) {
	resp := &fetch.Response{URL: r.URL, StatusCode: 200, ContentType: b.ContentType, Bytes: int64(len(b.Bytes))}
	if r.Stream != nil {
		return resp, r.Stream(resp, bytes.NewReader(b.Bytes))
	}
	resp.Body = b.Bytes
	return resp, nil
}
