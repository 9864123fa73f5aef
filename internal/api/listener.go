package api

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
)

// Some requests never reach a handler: net/http answers them itself (431
// for headers beyond the server's MaxHeaderBytes, 400 for a malformed
// request line or header, 505, 501) with a text/plain body written straight
// to the connection. ProblemListener rewrites exactly those answers as
// problem documents, so a client sees one error format whatever it sent.

// netHTTPErrorHeaders is what net/http writes after the status line of its
// own error answers (server.go, errorHeaders). Scout's handlers always set
// Cache-Control, which sorts before Content-Type, so no handler's response
// can begin the same way.
const netHTTPErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// ProblemListener wraps ln so that the error answers net/http writes itself
// are problem documents.
func ProblemListener(ln net.Listener) net.Listener { return problemListener{ln} }

type problemListener struct{ net.Listener }

func (l problemListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return problemConn{c}, nil
}

type problemConn struct{ net.Conn }

// Write passes every write through except one that is a whole net/http
// error answer, which it replaces.
func (c problemConn) Write(b []byte) (int, error) {
	if out, ok := asProblem(b); ok {
		if _, err := c.Conn.Write(out); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return c.Conn.Write(b)
}

// asProblem turns "HTTP/1.1 431 Request Header Fields Too Large" + error
// headers + text into the same status with a problem document.
func asProblem(b []byte) ([]byte, bool) {
	if !bytes.HasPrefix(b, []byte("HTTP/1.1 4")) && !bytes.HasPrefix(b, []byte("HTTP/1.1 5")) {
		return nil, false
	}
	line, rest, ok := bytes.Cut(b, []byte(netHTTPErrorHeaders))
	if !ok || bytes.Contains(line, []byte("\r\n")) || len(line) < 12 {
		return nil, false
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return nil, false
	}
	detail := string(rest)
	if len(detail) > 200 {
		detail = detail[:200]
	}
	body, _ := json.Marshal(huma.ErrorModel{Type: problemType(status), Title: http.StatusText(status), Status: status, Detail: detail})
	var out bytes.Buffer
	out.Write(line)
	out.WriteString("\r\nContent-Type: application/problem+json\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: ")
	out.WriteString(strconv.Itoa(len(body)))
	out.WriteString("\r\n\r\n")
	out.Write(body)
	return out.Bytes(), true
}
