package app

import (
	"bytes"
	"regexp"
	"testing"
)

func TestStageMarks(t *testing.T) {
	var out bytes.Buffer
	core := &Core{stages: stageLog{out: &out}}
	sys := &System{core: core}

	sys.Mark(StageSignInForm) // without COCKPIT_PAINT_LOG nothing is logged
	if out.Len() != 0 {
		t.Fatalf("logged without %s: %q", PaintLogEnv, out.String())
	}

	t.Setenv(PaintLogEnv, "1")
	sys.Mark(StageSignInForm)
	sys.Mark(StageSignInForm)       // once per stage
	sys.Mark("board-query\nforged") // the frontend may only report its own stages
	sys.Mark(StageStoreOpen)
	sys.Mark(StageFirstPaint)
	want := regexp.MustCompile(`^cockpit: signin-form unix_ms=\d{13}\ncockpit: first-paint unix_ms=\d{13}\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("log:\n%s\nwant signin-form then first-paint, once each", out.String())
	}
}
