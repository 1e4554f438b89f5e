// Package dovecottest starts a throwaway Dovecot (Debian dovecot-imapd) on 127.0.0.1 for tests and
// benchmarks: its own dovecot.conf, passwd-file and maildir in a temp dir, stopped afterwards. Tests use
// the real server, not a fake, because the bugs this guards against (UIDVALIDITY, literals, IDLE,
// dropped connections) live in the conversation with a real one.
package dovecottest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"
)

// Server is a running Dovecot instance.
type Server struct {
	Dir      string // everything lives below it
	Port     int    // IMAP, with STARTTLS once EnableTLS was called
	TLSPort  int    // IMAP over implicit TLS, once EnableTLS was called
	User     string
	Password string
	conf     string
	caps     string // imap_capability: "" for Dovecot's own list
	tls      bool   // cert.pem and key.pem in Dir
	cmd      *exec.Cmd
	waitErr  chan error
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port)) }

// Binary returns the dovecot path, or an error saying how to install it.
func Binary() (string, error) {
	for _, p := range []string{"dovecot", "/usr/sbin/dovecot"} {
		if path, err := exec.LookPath(p); err == nil {
			return path, nil
		}
	}
	return "", errors.New("dovecot not found (apt-get install dovecot-core dovecot-imapd)")
}

// Require skips the test when Dovecot is missing, or fails it when COCKPIT_CI=1 (CI must run it).
func Require(t testing.TB) string {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		if os.Getenv("COCKPIT_CI") == "1" {
			t.Fatalf("COCKPIT_CI=1 and %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
	return bin
}

// Start launches Dovecot with one user "test" and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Require(t)
	dir := t.TempDir()
	s, err := StartIn(dir, bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// StartIn launches Dovecot under dir (for the benchmark, which runs outside `go test`).
func StartIn(dir, bin string) (*Server, error) {
	s := &Server{Dir: dir, User: "test", Password: "secret-" + strconv.Itoa(os.Getpid())}
	if err := s.writeConfig(); err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		return nil, err
	}
	return s, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) writeConfig() error {
	if s.Port == 0 {
		port, err := freePort()
		if err != nil {
			return err
		}
		s.Port = port
	}
	for _, d := range []string{"run", "state", "mail"} {
		if err := os.MkdirAll(filepath.Join(s.Dir, d), 0o755); err != nil {
			return err
		}
	}
	// Mail processes refuse to run as root: as root the mail belongs to nobody, otherwise to us. Every
	// directory above the maildir must be traversable by that user.
	mailUser, mailGroup := "nobody", "nogroup"
	internal := ""
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			return err
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			return err
		}
		mailUser, mailGroup = u.Username, g.Name
		internal = fmt.Sprintf("default_internal_user = %s\ndefault_login_user = %s\ndefault_internal_group = %s\n", u.Username, u.Username, g.Name)
	} else {
		for d := s.Dir; d != "/" && d != "."; d = filepath.Dir(d) {
			if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o005 != 0o005 {
				if err := os.Chmod(d, fi.Mode().Perm()|0o005); err != nil {
					return err
				}
			}
		}
		nobody, err := user.Lookup("nobody")
		if err != nil {
			return err
		}
		uid, _ := strconv.Atoi(nobody.Uid)
		gid, _ := strconv.Atoi(nobody.Gid)
		if err := os.Chown(filepath.Join(s.Dir, "mail"), uid, gid); err != nil {
			return err
		}
	}
	if s.caps != "" {
		internal += "imap_capability = " + s.caps + "\n"
	}
	users := fmt.Sprintf("%s:{PLAIN}%s::::::\n", s.User, s.Password)
	if err := os.WriteFile(filepath.Join(s.Dir, "users"), []byte(users), 0o644); err != nil {
		return err
	}
	sslConf := "ssl = no"
	if s.tls {
		sslConf = fmt.Sprintf("ssl = yes\nssl_cert = <%[1]s/cert.pem\nssl_key = <%[1]s/key.pem", s.Dir)
		if _, err := os.Stat("/usr/share/dovecot/dh.pem"); err == nil {
			sslConf += "\nssl_dh = </usr/share/dovecot/dh.pem"
		}
	}
	conf := fmt.Sprintf(`instance_name = cockpit-test-%[2]d
protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
info_log_path = %[1]s/dovecot-info.log
%[6]s
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:%[1]s/mail/%%u/Maildir
first_valid_uid = 1
mail_max_userip_connections = 200
imap_id_log = *
%[5]spassdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/users
}
userdb {
  driver = passwd-file
  args = username_format=%%u %[1]s/users
  default_fields = uid=%[3]s gid=%[4]s home=%[1]s/mail/%%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = %[2]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[7]d
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
service anvil {
  chroot =
}
`, s.Dir, s.Port, mailUser, mailGroup, internal, sslConf, s.TLSPort)
	s.conf = filepath.Join(s.Dir, "dovecot.conf")
	return os.WriteFile(s.conf, []byte(conf), 0o644)
}

// Start (re)starts the server in the foreground of a child process and waits until it accepts.
func (s *Server) Start() error {
	bin, err := Binary()
	if err != nil {
		return err
	}
	s.cmd = exec.Command(bin, "-F", "-c", s.conf)
	var out bytes.Buffer
	s.cmd.Stdout, s.cmd.Stderr = &out, &out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start dovecot: %w", err)
	}
	s.waitErr = make(chan error, 1)
	go func(c *exec.Cmd, ch chan error) { ch <- c.Wait() }(s.cmd, s.waitErr)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		conn, err := net.DialTimeout("tcp", s.Addr(), 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case err := <-s.waitErr:
			log, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
			return fmt.Errorf("dovecot exited (%v): %s %s", err, out.String(), log)
		case <-time.After(50 * time.Millisecond):
		}
	}
	s.Stop()
	return fmt.Errorf("dovecot did not listen on %s within 15s: %s", s.Addr(), out.String())
}

// ServedCPU is the CPU time (user + system) of the server's mail and login processes that have ended:
// the master reaps them, so the kernel adds their time to its children's. A benchmark reads it before
// and after a client's session (logged out, its processes gone) to learn what serving it cost.
func (s *Server) ServedCPU() (time.Duration, error) {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0, errors.New("dovecot is not running")
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	return reapedCPU(b)
}

// reapedCPU reads cutime and cstime, the 16th and 17th fields of a /proc/<pid>/stat line, in clock ticks
// (USER_HZ, 100 a second on Linux). The fields are counted after the command name, which is in
// parentheses and may itself hold spaces and parentheses.
func reapedCPU(stat []byte) (time.Duration, error) {
	end := bytes.LastIndexByte(stat, ')')
	f := strings.Fields(string(stat[end+1:])) // from the 3rd field on
	if end < 0 || len(f) < 15 {
		return 0, fmt.Errorf("unexpected /proc stat line: %q", stat)
	}
	var ticks int64
	for _, v := range f[13:15] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unexpected /proc stat line: %q", stat)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// Stop terminates the server and every process it started, and waits for them.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-s.waitErr:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.waitErr
	}
	// Login and imap children leave when the master goes; give stragglers a moment and kill the group.
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	s.cmd = nil
}

// EnableTLS restarts the server with a certificate: STARTTLS on Port, implicit TLS on TLSPort. The mail
// and Port stay.
func (s *Server) EnableTLS(certPEM, keyPEM []byte) error {
	if err := os.WriteFile(filepath.Join(s.Dir, "cert.pem"), certPEM, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "key.pem"), keyPEM, 0o600); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	s.tls, s.TLSPort = true, port
	return s.restart()
}

// LimitCapabilities restarts the server announcing only caps after login, as a server with fewer
// extensions would (Exchange offers no CONDSTORE). The mail and the port stay.
func (s *Server) LimitCapabilities(caps ...string) error {
	s.caps = strings.Join(caps, " ")
	return s.restart()
}

// restart stops the server and starts it again on a configuration written afresh.
func (s *Server) restart() error {
	s.Stop()
	if err := s.writeConfig(); err != nil {
		return err
	}
	return s.Start()
}

// InfoLog is Dovecot's info log so far: among others, the identity each client gave (IMAP ID).
func (s *Server) InfoLog() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot-info.log"))
	return string(b)
}

// Client logs in as the test user.
func (s *Server) Client() (*imapclient.Client, error) {
	c, err := imapclient.DialInsecure(s.Addr(), &imapclient.Options{WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader}})
	if err != nil {
		return nil, err
	}
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Append adds messages to a folder (created if missing) over IMAP and returns their UIDs.
func (s *Server) Append(folder string, msgs ...[]byte) ([]uint32, error) {
	c, err := s.Client()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if folder != "INBOX" {
		if err := c.Create(folder, nil).Wait(); err != nil && !strings.Contains(err.Error(), "ALREADYEXISTS") && !strings.Contains(strings.ToLower(err.Error()), "exists") {
			return nil, fmt.Errorf("create %s: %w", folder, err)
		}
	}
	var uids []uint32
	for _, m := range msgs {
		cmd := c.Append(folder, int64(len(m)), nil)
		if _, err := cmd.Write(m); err != nil {
			return nil, err
		}
		if err := cmd.Close(); err != nil {
			return nil, err
		}
		data, err := cmd.Wait()
		if err != nil {
			return nil, fmt.Errorf("append to %s: %w", folder, err)
		}
		uids = append(uids, uint32(data.UID))
	}
	return uids, c.Logout().Wait()
}

// Flags returns every message's flags in a folder (to prove a sync changed none).
func (s *Server) Flags(folder string) (map[uint32][]imap.Flag, error) {
	c, err := s.Client()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, err
	}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		return nil, err
	}
	out := map[uint32][]imap.Flag{}
	for _, m := range msgs {
		out[uint32(m.UID)] = m.Flags
	}
	return out, nil
}

// AddFlags sets flags on a message as a mail client would (a colleague answering from the mailbox).
func (s *Server) AddFlags(folder string, uid uint32, flags ...imap.Flag) error {
	return s.changing(folder, func(c *imapclient.Client) error {
		return c.Store(imap.UIDSetNum(imap.UID(uid)), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: flags}, nil).Close()
	})
}

// Expunge deletes messages from a folder for good, as a mail client emptying its trash would.
func (s *Server) Expunge(folder string, uids ...uint32) error {
	return s.changing(folder, func(c *imapclient.Client) error {
		set := imap.UIDSet{}
		for _, u := range uids {
			set.AddNum(imap.UID(u))
		}
		if err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
			return err
		}
		return c.UIDExpunge(set).Close()
	})
}

// changing runs fn on folder opened read-write.
func (s *Server) changing(folder string, fn func(*imapclient.Client) error) error {
	c, err := s.Client()
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.Select(folder, nil).Wait(); err != nil {
		return err
	}
	if err := fn(c); err != nil {
		return fmt.Errorf("change %s: %w", folder, err)
	}
	return c.Logout().Wait()
}

// Doveadm runs doveadm against this instance.
func (s *Server) Doveadm(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, "doveadm", append([]string{"-c", s.conf}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("doveadm %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// SetUIDValidity changes a folder's UIDVALIDITY, as a server restore or migration would.
func (s *Server) SetUIDValidity(ctx context.Context, folder string, v uint32) error {
	return s.Doveadm(ctx, "mailbox", "update", "-u", s.User, "--uid-validity", strconv.FormatUint(uint64(v), 10), folder)
}

// MaildirNew is the "new" directory of a folder, for bulk seeding by file copy (see Index).
func (s *Server) MaildirNew(folder string) string {
	base := filepath.Join(s.Dir, "mail", s.User, "Maildir")
	if folder != "INBOX" {
		base = filepath.Join(base, "."+folder)
	}
	return filepath.Join(base, "new")
}

// Index makes Dovecot pick up files copied into MaildirNew (ownership fixed first when running as root).
func (s *Server) Index(ctx context.Context, folder string) error {
	if os.Geteuid() == 0 {
		out, err := exec.CommandContext(ctx, "chown", "-R", "nobody:nogroup", filepath.Join(s.Dir, "mail")).CombinedOutput()
		if err != nil {
			return fmt.Errorf("chown maildir: %w: %s", err, out)
		}
	}
	return s.Doveadm(ctx, "index", "-u", s.User, folder)
}

// Bodies returns every message of a folder as the server serves it (BODY.PEEK[]), by UID. Dovecot
// normalises some stored bytes (bare LF, NUL), so this, not the seeded file, is what a client receives.
func (s *Server) Bodies(folder string) (map[uint32][]byte, error) {
	c, err := s.Client()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if _, err := c.Select(folder, &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		return nil, err
	}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil {
		return nil, err
	}
	out := map[uint32][]byte{}
	for _, m := range msgs {
		for _, b := range m.BodySection {
			out[uint32(m.UID)] = b.Bytes
		}
	}
	return out, nil
}
