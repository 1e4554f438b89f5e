// Package rttest starts a real Request Tracker 5 (Debian's request-tracker5 on SQLite, via
// scripts/rt-up.sh) on 127.0.0.1 for tests, once per test binary, and seeds it the way a service team
// would. A real RT rather than a fake: the bugs the connector guards against (mixed JSON types, the
// one-second LastUpdated resolution, the Chinese filename 500) live in the real server.
package rttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is the running RT.
type Server struct {
	URL   string // web root, e.g. http://127.0.0.1:41234
	Token string // auth token of root
	dir   string
}

var (
	once sync.Once
	srv  Server
	err  error
)

// scripts returns the repository's scripts directory (this file is backend/ingest/rt/rttest/rttest.go).
func scripts() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "scripts")
}

// Start returns the RT shared by the package's tests, starting it on first use (scrips on, so EmailRecord
// noise is present as on a real helpdesk); the package's TestMain must call Main to stop it. Without
// request-tracker5 the test skips, except under COCKPIT_CI=1 where it fails.
func Start(t testing.TB) Server {
	t.Helper()
	requireRT(t)
	once.Do(func() {
		dir, derr := os.MkdirTemp("", "cockpit-rt-")
		if derr != nil {
			err = derr
			return
		}
		srv, err = up(dir)
		srv.dir = dir
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// New starts an RT of the test's own, stopped when the test ends: for packages that use RT in a single
// test and have no TestMain to call Main from.
func New(t testing.TB) Server {
	t.Helper()
	requireRT(t)
	dir := t.TempDir()
	s, err := up(dir)
	t.Cleanup(func() { stop(dir) })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func up(dir string) (Server, error) {
	port := freePort()
	s := Server{dir: dir}
	out, err := exec.Command(filepath.Join(scripts(), "rt-up.sh"), dir, strconv.Itoa(port)).CombinedOutput()
	if err != nil {
		return s, fmt.Errorf("rt-up.sh: %v\n%s", err, out)
	}
	tok, err := os.ReadFile(filepath.Join(dir, "token"))
	s.URL, s.Token = fmt.Sprintf("http://127.0.0.1:%d", port), strings.TrimSpace(string(tok))
	return s, err
}

func requireRT(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("rt-setup-database"); err != nil {
		if os.Getenv("COCKPIT_CI") == "1" {
			t.Fatalf("request-tracker5 is not installed (COCKPIT_CI=1): run scripts/deps.sh test")
		}
		t.Skip("request-tracker5 is not installed; run scripts/deps.sh test to test against a real RT")
	}
}

// Main runs the package's tests and stops RT afterwards; call it from TestMain.
func Main(m *testing.M) int {
	code := m.Run()
	if srv.dir != "" {
		stop(srv.dir)
		os.RemoveAll(srv.dir)
	}
	return code
}

// stop ends the server rt-up.sh started in dir: SIGTERM to its process group (rt-server is a session
// leader through setsid, its workers share the group), then SIGKILL if it is still there after 10 s.
func stop(dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "server.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		return
	}
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	for i := 0; i < 40; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 18081
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Seeder writes to RT over REST 2.0 as the service team would.
type Seeder struct {
	T   testing.TB
	Srv Server
}

// Send makes one request and fails the test on a non-2xx answer.
func (s Seeder) Send(method, path, contentType string, body []byte) []byte {
	s.T.Helper()
	req, err := http.NewRequest(method, s.Srv.URL+"/REST/2.0"+path, bytes.NewReader(body))
	if err != nil {
		s.T.Fatal(err)
	}
	req.Header.Set("Authorization", "token "+s.Srv.Token)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.T.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		s.T.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
	}
	return out
}

// JSON sends v as a JSON body.
func (s Seeder) JSON(method, path string, v any) []byte {
	b, _ := json.Marshal(v)
	return s.Send(method, path, "application/json", b)
}

// CreateTicket opens a ticket in General from customer1@example.com and returns its id.
func (s Seeder) CreateTicket(subject, body string, priority int) int64 {
	s.T.Helper()
	out := s.JSON("POST", "/ticket", map[string]any{"Queue": "General", "Subject": subject, "Requestor": "customer1@example.com",
		"Content": body, "ContentType": "text/plain", "Priority": priority})
	var r struct {
		ID json.Number `json:"id"` // "1": RT answers a create with the id as a string
	}
	_ = json.Unmarshal(out, &r)
	if id, _ := r.ID.Int64(); id != 0 {
		return id
	}
	s.T.Fatalf("create ticket: %s", out)
	return 0
}

// CorrespondMultipart attaches files by multipart/form-data: the only way RT 5.0.3 accepts a raw UTF-8
// filename (a JSON FileName with Chinese gives HTTP 500).
func (s Seeder) CorrespondMultipart(ticket int64, text string, files map[string][]byte) {
	s.T.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="JSON"`)
	h.Set("Content-Type", "application/json")
	pw, _ := w.CreatePart(h)
	b, _ := json.Marshal(map[string]string{"Content": text, "ContentType": "text/plain"})
	pw.Write(b)
	for name, data := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="Attachments"; filename="%s"`, name))
		h.Set("Content-Type", "application/octet-stream")
		fw, _ := w.CreatePart(h)
		fw.Write(data)
	}
	w.Close()
	s.Send("POST", fmt.Sprintf("/ticket/%d/correspond", ticket), w.FormDataContentType(), buf.Bytes())
}
