package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
)

// BootData is what the first screen needs: the workspace's status and the sign-in state. It goes into the page
// itself (as window.__COCKPIT_BOOT__, read by frontend/src/api/early.ts) instead of being asked for over the
// bridge: on Linux each bridge answer reaches the page through GTK's idle queue, which the window's own
// start-up work starves, and the two first answers took 150-200 ms each to arrive.
type BootData struct {
	Status StatusDTO `json:"status"`
	Auth   AuthState `json:"auth"`
}

// boot is nil until the workspace is open: a page served before then asks over the bridge, as before.
func (c *Core) boot() *BootData {
	sys, ppl := &System{core: c}, &People{core: c}
	status := sys.Status()
	if !status.Open {
		return nil
	}
	auth, err := ppl.State()
	if err != nil || !auth.Open {
		return nil
	}
	return &BootData{Status: status, Auth: auth}
}

// bootPage is the asset server's middleware that writes BootData into the served index page, before the
// start-up script runs. The JSON encoder escapes <, > and &, so nothing in it can close the script element.
func (c *Core) bootPage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || (r.URL.Path != "/" && r.URL.Path != "/index.html") {
			next.ServeHTTP(w, r)
			return
		}
		page := &bufferedResponse{header: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(page, r)
		body := page.body.Bytes()
		if data := c.boot(); data != nil && page.code == http.StatusOK {
			if injected, err := injectBoot(body, data); err == nil {
				body = injected
			} else {
				fmt.Fprintln(os.Stderr, "cockpit: boot data:", err)
			}
		}
		for k, vs := range page.header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(page.code)
		_, _ = w.Write(body)
	})
}

// injectBoot puts the boot script at the start of the page's head, ahead of the start-up script.
func injectBoot(page []byte, data *BootData) ([]byte, error) {
	js, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	at := bytes.Index(page, []byte("<head>"))
	if at < 0 {
		return nil, fmt.Errorf("the page has no <head>")
	}
	at += len("<head>")
	script := append(append([]byte("<script>window.__COCKPIT_BOOT__="), js...), []byte(";</script>")...)
	out := make([]byte, 0, len(page)+len(script))
	out = append(append(append(out, page[:at]...), script...), page[at:]...)
	return out, nil
}

// bufferedResponse keeps what the asset server writes, so that the page can be changed before it is sent.
type bufferedResponse struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) WriteHeader(code int)        { b.code = code }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
