// Package mailtest runs a real SMTP server (emersion/go-smtp) on 127.0.0.1
// for tests, and keeps every message it accepts, parsed.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"gorm.io/gorm"

	"github.com/flicket/flicket/backend/internal/model"
)

// Message is one accepted message.
type Message struct {
	// From and To are the envelope (MAIL FROM, RCPT TO).
	From string
	To   []string
	// Header is the parsed header; Subject is decoded.
	Header  mail.Header
	Subject string
	// Text and HTML are the decoded bodies of the text/plain and text/html
	// parts ("" when missing).
	Text, HTML string
	Raw        []byte
}

// Server is an SMTP server that accepts everything (unless told otherwise)
// and records it.
type Server struct {
	Host string
	Port int

	t          testing.TB
	mu         sync.Mutex
	msgs       []Message
	rejectRcpt func(to string) error
	dataDelay  time.Duration
	srv        *smtp.Server
	ln         net.Listener
	closed     chan struct{}
}

// Start runs a server on 127.0.0.1 on a free port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{Host: "127.0.0.1", t: t}
	s.listen(t, "127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) listen(t testing.TB, addr string) {
	t.Helper()
	var ln net.Listener
	var err error
	// The port of a stopped server may linger briefly; retry for a moment.
	for i := 0; i < 50; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("mailtest: listen on %s: %v", addr, err)
	}
	s.Port = ln.Addr().(*net.TCPAddr).Port
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "mailtest.local"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	closed := make(chan struct{})
	go func() {
		_ = srv.Serve(ln)
		close(closed)
	}()
	s.mu.Lock()
	s.srv, s.ln, s.closed = srv, ln, closed
	s.mu.Unlock()
}

// Stop closes the server; connections are refused until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln, closed := s.srv, s.ln, s.closed
	s.srv = nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	_ = srv.Close()
	// smtp.Server.Close closes only the listeners Serve has taken: if its
	// goroutine has not started yet, Serve would then accept forever.
	_ = ln.Close()
	<-closed
}

// Restart serves again on the same port, keeping the recorded messages.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.listen(t, fmt.Sprintf("%s:%d", s.Host, s.Port))
}

// RejectRcpt makes the server answer RCPT TO with f's error when it is not
// nil (use *smtp.SMTPError for a code); nil accepts everyone again.
func (s *Server) RejectRcpt(f func(to string) error) {
	s.mu.Lock()
	s.rejectRcpt = f
	s.mu.Unlock()
}

// SlowData makes the server wait d before accepting each message.
func (s *Server) SlowData(d time.Duration) {
	s.mu.Lock()
	s.dataDelay = d
	s.mu.Unlock()
}

// Messages returns a copy of the accepted messages, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor waits until at least n messages have arrived and returns them.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailtest: %d message(s) after %s, want %d", len(msgs), timeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Configure points the config row at this server, with sending switched on
// and no TLS.
func (s *Server) Configure(t testing.TB, db *gorm.DB) {
	t.Helper()
	err := db.Model(&model.Settings{}).Where("id = ?", model.SettingsID).Updates(map[string]any{
		"mail_server": s.Host, "mail_port": s.Port, "mail_use_tls": false, "mail_use_ssl": false,
		"mail_suppress_send": false, "mail_default_sender": "Flicket <flicket@example.com>",
	}).Error
	if err != nil {
		t.Fatalf("mailtest: configure: %v", err)
	}
}

// ClosedPort returns a local port nobody listens on.
func ClosedPort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	return port
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	f := ss.s.rejectRcpt
	ss.s.mu.Unlock()
	if f != nil {
		if err := f(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	delay := ss.s.dataDelay
	ss.s.mu.Unlock()
	time.Sleep(delay)
	m, err := Parse(raw)
	if err != nil {
		ss.s.t.Errorf("mailtest: unparsable message: %v\n%s", err, raw)
		return &smtp.SMTPError{Code: 554, Message: "unparsable"}
	}
	m.From, m.To = ss.from, append([]string(nil), ss.to...)
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, m)
	ss.s.mu.Unlock()
	return nil
}

// Parse decodes a raw message: header, subject and the text and HTML parts.
func Parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, fmt.Errorf("read message: %w", err)
	}
	out := Message{Header: msg.Header, Raw: raw}
	dec := new(mime.WordDecoder)
	if out.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("decode subject: %w", err)
	}
	err = walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &out)
	return out, err
}

func walk(contentType, encoding string, body io.Reader, out *Message) error {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("next part: %w", err)
			}
			// multipart decodes quoted-printable itself and hides the header.
			if err := walk(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part, out); err != nil {
				return err
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &lineJoiner{r: body})
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return fmt.Errorf("read %s part: %w", mt, err)
	}
	// Line ends are CRLF on the wire; tests compare with Go strings.
	text := strings.ReplaceAll(string(b), "\r\n", "\n")
	switch mt {
	case "text/plain":
		out.Text += text
	case "text/html":
		out.HTML += text
	}
	return nil
}

// lineJoiner drops CR and LF so base64 lines decode as one stream.
type lineJoiner struct{ r io.Reader }

func (l *lineJoiner) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[j] = c
			j++
		}
	}
	return j, err
}
