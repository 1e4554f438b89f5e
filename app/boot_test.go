package app

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cockpit/backend/cli"
)

const indexPage = `<!doctype html><html><head><meta charset="UTF-8" /><script type="module" src="/assets/index.js"></script></head><body><div id="root"></div></body></html>`

// servePage asks the boot middleware for path, over a handler that answers every path with the index page.
func servePage(t *testing.T, core *Core, path string) (*httptest.ResponseRecorder, *BootData) {
	t.Helper()
	assets := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(indexPage))
	})
	rec := httptest.NewRecorder()
	core.bootPage(assets).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	m := regexp.MustCompile(`<head><script>window.__COCKPIT_BOOT__=(.*?);</script><meta`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		return rec, nil
	}
	var data BootData
	if err := json.Unmarshal([]byte(m[1]), &data); err != nil {
		t.Fatalf("boot data %q: %v", m[1], err)
	}
	return rec, &data
}

func TestBootPage(t *testing.T) {
	core, _ := openCore(t)
	// The data dir goes into the page: a hostile name must not close the script element.
	core.Global.DataDir += "/</script><script>alert(1)</script>"

	rec, data := servePage(t, core, "/")
	if data == nil {
		t.Fatalf("no boot data in:\n%s", rec.Body.String())
	}
	if strings.Count(rec.Body.String(), "</script>") != 2 || rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
		t.Errorf("page %q (Content-Length %s)", rec.Body.String(), rec.Header().Get("Content-Length"))
	}
	if !data.Status.Open || data.Status.DataDir != core.Global.DataDir || !data.Auth.Open || !data.Auth.NeedsSetup || data.Auth.SignedIn {
		t.Errorf("first run: %+v", data)
	}

	addStaff(t, core) // root is left signed in (a reload of the window keeps the session)
	_, data = servePage(t, core, "/index.html")
	if data == nil || data.Auth.NeedsSetup || !data.Auth.SignedIn || data.Auth.User == nil || data.Auth.User.Username != "root" {
		t.Errorf("signed in: %+v", data)
	}

	// Other assets pass untouched.
	if rec, data := servePage(t, core, "/assets/index.js"); data != nil || rec.Body.String() != indexPage {
		t.Errorf("asset changed: %q", rec.Body.String())
	}
}

func TestBootPageBeforeTheWorkspaceIsOpen(t *testing.T) {
	core := &Core{Global: cli.Global{DataDir: t.TempDir()}, Events: nopEmitter{}}
	// Not open yet (or failed to open): the page goes out as built and the frontend asks over the bridge.
	if rec, data := servePage(t, core, "/"); data != nil || rec.Body.String() != indexPage {
		t.Errorf("page %q, boot data %+v", rec.Body.String(), data)
	}
}
