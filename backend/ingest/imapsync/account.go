// Package imapsync mirrors chosen IMAP folders read-only into the ingest pipeline: EXAMINE only (flags are
// never changed, nothing is deleted), identity (source, folder, UIDVALIDITY, UID), incremental by UID
// high-water mark, batched UID FETCH of BODY.PEEK[] streamed into the blob store, one message per
// transaction, reconnect with backoff, IDLE while the app runs.
package imapsync

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"cockpit/backend/ingest"
	"cockpit/backend/secrets"
	"cockpit/backend/store"
	"cockpit/backend/version"
)

// Connection security.
const (
	SecurityTLS      = "tls"      // implicit TLS (port 993)
	SecurityStartTLS = "starttls" // plain connect, then STARTTLS (port 143)
	SecurityPlain    = "plain"    // no encryption: loopback only unless Insecure
)

// Account is an IMAP source's configuration, stored as the source's config_json. The password is not in
// it: it lives in the secrets store under SecretKey(sourceID).
type Account struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Security string `json:"security"`
	Username string `json:"username"`
	// Insecure allows a plain connection to a host that is not loopback.
	Insecure bool `json:"insecure,omitempty"`
	// BatchSize is how many UIDs one UID FETCH asks for (default 200).
	BatchSize int `json:"batch_size,omitempty"`
}

// Folder is a mailbox to mirror and the role of its mail.
type Folder struct {
	Name string `json:"name"`
	Role string `json:"role"` // ingest.RoleComplaints | ingest.RoleRegulator
}

// Validate checks an account before it is saved or used.
func (a *Account) Validate() error {
	a.Host = strings.TrimSpace(a.Host)
	if a.Host == "" {
		return errors.New("host is required")
	}
	if a.Security == "" {
		a.Security = SecurityTLS
	}
	switch a.Security {
	case SecurityTLS, SecurityStartTLS, SecurityPlain:
	default:
		return fmt.Errorf("security must be tls, starttls or plain, not %q", a.Security)
	}
	if a.Port == 0 {
		a.Port = 993
		if a.Security != SecurityTLS {
			a.Port = 143
		}
	}
	if a.Port < 1 || a.Port > 65535 {
		return fmt.Errorf("port %d out of range", a.Port)
	}
	if strings.TrimSpace(a.Username) == "" {
		return errors.New("username is required")
	}
	if a.Security == SecurityPlain && !a.Insecure && !isLoopback(a.Host) {
		return fmt.Errorf("plain IMAP to %s would send the password unencrypted; use tls or starttls (or --insecure if you must)", a.Host)
	}
	if a.BatchSize < 0 || a.BatchSize > 5000 {
		return fmt.Errorf("batch size %d out of range 1-5000", a.BatchSize)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ValidateFolders checks folder names and roles.
func ValidateFolders(folders []Folder) error {
	if len(folders) == 0 {
		return errors.New("at least one folder is required (e.g. INBOX=complaints)")
	}
	seen := map[string]bool{}
	for _, f := range folders {
		if strings.TrimSpace(f.Name) == "" {
			return errors.New("folder name is empty")
		}
		if f.Role != ingest.RoleComplaints && f.Role != ingest.RoleRegulator {
			return fmt.Errorf("folder %q: role must be complaints or regulator, not %q", f.Name, f.Role)
		}
		if seen[f.Name] {
			return fmt.Errorf("folder %q listed twice", f.Name)
		}
		seen[f.Name] = true
	}
	return nil
}

// SecretKey is where a source's password is kept in the secrets store.
func SecretKey(sourceID int64) string { return "imap:source:" + strconv.FormatInt(sourceID, 10) }

// AccountOf reads a source's account configuration.
func AccountOf(src store.Source) (Account, error) {
	var a Account
	if err := json.Unmarshal([]byte(src.ConfigJSON), &a); err != nil {
		return a, fmt.Errorf("source %q: bad IMAP configuration: %w", src.Name, err)
	}
	return a, nil
}

// AddAccount creates an IMAP source with its folders and stores its password in sec. Nothing is left
// behind when a step fails.
func AddAccount(ctx context.Context, st *store.Store, sec secrets.Store, name string, acct Account, folders []Folder, password string, now time.Time) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, errors.New("account name is required")
	}
	if err := acct.Validate(); err != nil {
		return 0, err
	}
	if err := ValidateFolders(folders); err != nil {
		return 0, err
	}
	if password == "" {
		return 0, errors.New("password is required")
	}
	cfg, err := json.Marshal(acct)
	if err != nil {
		return 0, err
	}
	src := store.Source{Kind: "imap", Name: name, ConfigJSON: string(cfg), Enabled: true}
	for _, f := range folders {
		src.Folders = append(src.Folders, store.Folder{Name: f.Name, Role: f.Role})
	}
	id, err := st.CreateSource(ctx, src, now)
	if err != nil {
		return 0, err
	}
	if err := sec.Set(SecretKey(id), password); err != nil {
		if _, derr := st.DeleteSource(ctx, id); derr != nil {
			return 0, errors.Join(err, derr)
		}
		return 0, err
	}
	return id, nil
}

// UpdateAccount changes an account's settings and folders; password "" keeps the stored one. It returns
// the folders that were mirrored with another role and are now regulator folders: their mail's cases are
// for ingest's MarkFolderRegulator.
func UpdateAccount(ctx context.Context, st *store.Store, sec secrets.Store, id int64, acct Account, folders []Folder, enabled bool, password string) (nowRegulator []string, err error) {
	if err := acct.Validate(); err != nil {
		return nil, err
	}
	if err := ValidateFolders(folders); err != nil {
		return nil, err
	}
	cfg, err := json.Marshal(acct)
	if err != nil {
		return nil, err
	}
	before, err := st.Folders(ctx, id)
	if err != nil {
		return nil, err
	}
	src := store.Source{ID: id, ConfigJSON: string(cfg), Enabled: enabled}
	for _, f := range folders {
		src.Folders = append(src.Folders, store.Folder{Name: f.Name, Role: f.Role})
		for _, was := range before {
			if was.Name == f.Name && was.Role != f.Role && f.Role == ingest.RoleRegulator {
				nowRegulator = append(nowRegulator, f.Name)
			}
		}
	}
	if err := st.UpdateSourceConfig(ctx, src); err != nil {
		return nil, err
	}
	if password != "" {
		if err := sec.Set(SecretKey(id), password); err != nil {
			return nil, err
		}
	}
	return nowRegulator, nil
}

// RemoveAccount deletes the account (or disables it when it has fed cases: those stay evidence) and its
// password.
func RemoveAccount(ctx context.Context, st *store.Store, sec secrets.Store, id int64) (deleted bool, err error) {
	deleted, err = st.DeleteSource(ctx, id)
	if err != nil {
		return false, err
	}
	return deleted, sec.Delete(SecretKey(id))
}

// wordDecoder decodes every charset go-message knows (GB2312, GBK, Big5, ISO-2022-JP ...) in server
// responses such as ENVELOPE; without it go-imap only knows UTF-8 and Latin-1.
var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// handshakeTimeout bounds everything from the TCP connection to the end of login: the greeting,
// STARTTLS, the TLS handshake, LOGIN and ID. A host that accepts the connection and never answers (an
// HTTP or SMTP port typed by mistake, a firewall that swallows) would otherwise hold a sync, or the
// form's "Test connection", until the app quits.
var handshakeTimeout = 30 * time.Second

// dial connects and logs in.
func dial(ctx context.Context, a Account, password string, handler *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	addr := net.JoinHostPort(a.Host, strconv.Itoa(a.Port))
	opts := &imapclient.Options{
		WordDecoder:           wordDecoder,
		UnilateralDataHandler: handler,
		TLSConfig:             &tls.Config{ServerName: a.Host, MinVersion: tls.VersionTLS12},
	}
	dialer := &net.Dialer{Timeout: 20 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	// Closing the raw connection at the limit (or when ctx ends) unblocks whatever waits on it, through the
	// TLS layer on top: go-imap's commands do not give up on a read deadline alone.
	deadline := time.Now().Add(handshakeTimeout)
	hctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	handshaking := context.AfterFunc(hctx, func() { conn.Close() })
	// step names what failed, with the address ("log in to host:993 as bob").
	failed := func(step string, err error) error {
		if !time.Now().Before(deadline) {
			return fmt.Errorf("%s: no answer within %s (is this the server's IMAP port?)", step, handshakeTimeout)
		}
		return fmt.Errorf("%s: %w", step, err)
	}
	var c *imapclient.Client
	switch a.Security {
	case SecurityTLS:
		cfg := opts.TLSConfig.Clone()
		cfg.NextProtos = []string{"imap"}
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(hctx); err != nil { // here, so that a certificate problem is named as one
			conn.Close()
			return nil, failed("TLS handshake with "+addr, err)
		}
		c = imapclient.New(tc, opts)
	case SecurityStartTLS:
		if c, err = imapclient.NewStartTLS(conn, opts); err != nil {
			return nil, failed("start TLS with "+addr, err)
		}
	default:
		c = imapclient.New(conn, opts)
	}
	if err := c.Login(a.Username, password).Wait(); err != nil {
		c.Close()
		// The server's text may echo what was sent; report only that login failed and the response code.
		var ie *imap.Error
		if errors.As(err, &ie) {
			return nil, &loginError{code: string(ie.Code), text: ie.Text}
		}
		return nil, failed("log in to "+addr+" as "+a.Username, err)
	}
	// NetEase's servers (163.com, 126.com, yeah.net and its enterprise mail, common with Chinese shops)
	// refuse SELECT and EXAMINE ("Unsafe Login") from a client that has not said who it is (RFC 2971).
	// Other servers take it or leave it: a refusal of ID itself stops nothing.
	if c.Caps().Has(imap.CapID) {
		var ie *imap.Error
		if _, err := c.ID(&imap.IDData{Name: "Cockpit", Version: version.String(), Vendor: "Cockpit"}).Wait(); err != nil && !errors.As(err, &ie) {
			c.Close()
			return nil, failed("identify to "+addr, err)
		}
	}
	if !handshaking() { // the limit struck just as the login finished: the connection is closed
		return nil, failed("log in to "+addr+" as "+a.Username, net.ErrClosed)
	}
	return c, nil
}

type loginError struct{ code, text string }

func (e *loginError) Error() string {
	msg := "login refused by the server"
	if e.code != "" {
		msg += " (" + e.code + ")"
	}
	return msg + ": check the user name and password"
}

// FolderInfo is what Test reports per mailbox.
type FolderInfo struct {
	Name        string `json:"name"`
	Messages    uint32 `json:"messages"`
	UIDValidity uint32 `json:"uidvalidity"`
	UIDNext     uint32 `json:"uidnext"`
	Configured  bool   `json:"configured"`
	Role        string `json:"role,omitempty"`
	Error       string `json:"error,omitempty"`
}

// TestResult is what "test connection" shows.
type TestResult struct {
	Capabilities []string `json:"capabilities"`
	// What they mean for the mirror: with IDLE new mail is fetched as it arrives (else at the watcher's
	// poll); with CONDSTORE a sync asks only for the flags that changed (else it lists them all, see
	// FlagRecheck).
	Idle      bool         `json:"idle"`
	CondStore bool         `json:"condstore"`
	Folders   []FolderInfo `json:"folders"`
}

// Test connects, logs in, lists the capabilities and every mailbox with its message count, and marks the
// configured folders (a configured folder the server does not have is reported with an error).
func Test(ctx context.Context, a Account, password string, configured []Folder) (TestResult, error) {
	if err := a.Validate(); err != nil {
		return TestResult{}, err
	}
	c, err := dial(ctx, a, password, nil)
	if err != nil {
		return TestResult{}, err
	}
	defer c.Close()
	var res TestResult
	for capName := range c.Caps() {
		res.Capabilities = append(res.Capabilities, string(capName))
	}
	sort.Strings(res.Capabilities)
	res.Idle, res.CondStore = offersIdle(c), c.Caps().Has(imap.CapCondStore)
	boxes, err := c.List("", "*", nil).Collect()
	if err != nil {
		return res, fmt.Errorf("list mailboxes: %w", err)
	}
	roles := map[string]string{}
	for _, f := range configured {
		roles[f.Name] = f.Role
	}
	seen := map[string]bool{}
	for _, b := range boxes {
		info := FolderInfo{Name: b.Mailbox}
		if role, ok := roles[b.Mailbox]; ok {
			info.Configured, info.Role = true, role
		}
		seen[b.Mailbox] = true
		sd, err := c.Status(b.Mailbox, &imap.StatusOptions{NumMessages: true, UIDNext: true, UIDValidity: true}).Wait()
		if err != nil {
			info.Error = err.Error()
		} else {
			if sd.NumMessages != nil {
				info.Messages = *sd.NumMessages
			}
			info.UIDNext, info.UIDValidity = uint32(sd.UIDNext), sd.UIDValidity
		}
		res.Folders = append(res.Folders, info)
	}
	for _, f := range configured {
		if !seen[f.Name] {
			res.Folders = append(res.Folders, FolderInfo{Name: f.Name, Configured: true, Role: f.Role, Error: "no such mailbox on the server"})
		}
	}
	_ = c.Logout().Wait()
	return res, nil
}
