package companion

import (
	"errors"
	"flag"
	"io"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	env := func(k string) string { return map[string]string{"USER": "li.na"}[k] }
	o, err := ParseFlags(nil, io.Discard, env)
	if err != nil || o.User != "li.na" || o.Every != 30*time.Second || o.Soon != time.Hour {
		t.Fatalf("defaults: %+v %v", o, err)
	}
	o, err = ParseFlags([]string{"--data-dir", "/d", "--user", "zhang.wei", "--every", "5s", "--soon", "2h", "--autostart", "off", "--window"}, io.Discard, env)
	if err != nil || o.DataDir != "/d" || o.User != "zhang.wei" || o.Every != 5*time.Second || o.Soon != 2*time.Hour || o.Autostart != "off" || !o.Window {
		t.Fatalf("flags: %+v %v", o, err)
	}
	for _, bad := range [][]string{{"--every", "10ms"}, {"--soon", "0s"}, {"--autostart", "maybe"}, {"--nope"}, {"extra"}, {"--every", "soon"}} {
		if _, err := ParseFlags(bad, io.Discard, env); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if _, err := ParseFlags([]string{"-h"}, io.Discard, env); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}
