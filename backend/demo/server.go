package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// Demo account credentials. They guard nothing (the server holds invented mail and listens on
// 127.0.0.1 only for the life of the process), so they are constants rather than secrets.
const (
	Username = "demo@cockpit-demo.example"
	Password = "demo"
)

// Server is the demo mailbox: go-imap's in-memory server on a random 127.0.0.1 port.
type Server struct {
	Addr string // host:port

	srv  *imapserver.Server
	user *imapmemserver.User
	ln   net.Listener
	done chan error
	mu   sync.Mutex // serialises deliveries so UIDs follow the order of Deliver calls
}

// Serve starts a server holding mb's messages, INBOX for complaints and Regulator for letters. logw
// receives the server's error log (nil: discarded).
func Serve(mb *Mailbox, logw io.Writer) (*Server, error) {
	if logw == nil {
		logw = io.Discard
	}
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(Username, Password)
	// Created in this order so that UIDVALIDITY is 1 for INBOX and 2 for Regulator on every start: with the
	// same mail in the same order, a re-opened demo workspace sees the same UIDs it synced before.
	for _, f := range []string{FolderComplaints, FolderRegulator} {
		if err := user.Create(f, nil); err != nil {
			return nil, fmt.Errorf("demo mailbox %s: %w", f, err)
		}
	}
	mem.AddUser(user)
	s := &Server{user: user, done: make(chan error, 1)}
	for _, m := range mb.Messages {
		if err := s.Deliver(m); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo IMAP server: %w", err)
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	s.srv = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		Logger:       log.New(logw, "demo imap: ", log.LstdFlags),
		InsecureAuth: true, // loopback only, no TLS to offer
	})
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Deliver appends one message to its folder, as an MTA would; IDLE-ing clients are told at once.
func (s *Server) Deliver(m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.user.Append(m.Folder, literal{bytes.NewReader(m.Raw)}, &imap.AppendOptions{Time: m.Date, Flags: m.Flags}); err != nil {
		return fmt.Errorf("deliver %s to %s: %w", m.MessageID, m.Folder, err)
	}
	return nil
}

// Close stops the server and waits for it.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	err := s.srv.Close()
	if serr := <-s.done; serr != nil && !errors.Is(serr, net.ErrClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }
