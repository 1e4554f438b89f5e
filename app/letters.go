package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"cockpit/backend/audit"
	"cockpit/backend/ingest"
	"cockpit/backend/ingest/letters"
	"cockpit/backend/people"
	"cockpit/backend/store"
)

// Letters is the bound service of the regulator letters folder: choose the folder, scan it (or take files
// dropped onto the window), review what was read, and file each letter into a case or a new regulator
// matter. Filing and dismissing are the legal liaison's and managers' decisions.
//
// Events: "letters:changed" after a scan, a drop, a filing or a dismissal; "cases:changed" after a filing.
type Letters struct {
	core *Core
	// ChooseDir asks for a folder; nil uses the window's dialog. Tests set it.
	ChooseDir func(title string) (string, error)
}

var letterDeciders = []people.Role{people.Legal, people.Manager}

// ChooseFolder opens the folder dialog; "" means the user cancelled.
func (s *Letters) ChooseFolder() (string, error) {
	if _, err := s.core.Require(letterDeciders...); err != nil {
		return "", err
	}
	if s.ChooseDir != nil {
		return s.ChooseDir("Letters folder")
	}
	return runtime.OpenDirectoryDialog(s.core.ctx, runtime.OpenDialogOptions{Title: "监管来函文件夹 / Regulator letters folder"})
}

// AddFolder watches a folder as a letters source and scans it once.
func (s *Letters) AddFolder(name, folder string) ([]letters.Found, error) {
	if _, err := s.core.Require(letterDeciders...); err != nil {
		return nil, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return nil, err
	}
	id, err := letters.AddSource(context.Background(), st, name, folder, s.core.Clock.Now())
	if err != nil {
		return nil, err
	}
	src, err := st.GetSource(context.Background(), id)
	if err != nil {
		return nil, err
	}
	found, err := letters.Scan(context.Background(), p, src)
	s.core.Events.Emit("letters:changed", nil)
	return found, err
}

// Scan reads new files from every letters folder.
func (s *Letters) Scan() ([]letters.Found, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return nil, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return nil, err
	}
	srcs, err := st.ListSources(context.Background(), "letters")
	if err != nil {
		return nil, err
	}
	found := []letters.Found{}
	var errs []error
	for _, src := range srcs {
		if !src.Enabled {
			continue
		}
		f, err := letters.Scan(context.Background(), p, src)
		found = append(found, f...)
		errs = append(errs, err)
		if rerr := st.SourceRan(context.Background(), src.ID, s.core.Clock.Now(), errText(err)); rerr != nil {
			errs = append(errs, rerr)
		}
	}
	s.core.Events.Emit("letters:changed", nil)
	return found, errors.Join(errs...)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// AddUpload takes a file dropped onto the Letters page (the browser reads it; Wails carries the bytes as
// base64) into the letters source sourceID, exactly as if it had appeared in the folder.
func (s *Letters) AddUpload(sourceID int64, name string, data []byte) (letters.Found, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return letters.Found{}, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return letters.Found{}, err
	}
	src, err := st.GetSource(context.Background(), sourceID)
	if err != nil {
		return letters.Found{}, err
	}
	if src.Kind != "letters" {
		return letters.Found{}, fmt.Errorf("source %q is not a letters folder", src.Name)
	}
	if len(data) > letters.MaxLetterSize {
		return letters.Found{}, fmt.Errorf("%s is larger than %d MB", filepath.Base(name), letters.MaxLetterSize>>20)
	}
	f, err := letters.AddFile(context.Background(), p, src.ID, filepath.Base(name), data, s.core.Clock.Now())
	if err != nil {
		return f, err
	}
	s.core.Events.Emit("letters:changed", nil)
	return f, nil
}

// List returns letters with the status ("" = all).
func (s *Letters) List(status string) ([]store.Letter, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	return st.ListLetters(context.Background(), status, 500)
}

// Sources lists the letters folders (for the drop target and the settings).
func (s *Letters) Sources() ([]store.Source, error) {
	if _, err := s.core.Require(people.CaseWorkers...); err != nil {
		return nil, err
	}
	st, err := s.core.ready()
	if err != nil {
		return nil, err
	}
	return st.ListSources(context.Background(), "letters")
}

// File files a letter with the fields as the user confirmed them.
func (s *Letters) File(id int64, c letters.Confirm) (ingest.Outcome, error) {
	u, err := s.core.Require(letterDeciders...)
	if err != nil {
		return ingest.Outcome{}, err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return ingest.Outcome{}, err
	}
	out, err := letters.File(context.Background(), p, audit.Log{Store: st, Clock: s.core.Clock}, id, c, u.Username)
	if err != nil {
		return out, err
	}
	s.core.Events.Emit("letters:changed", nil)
	s.core.Events.Emit("cases:changed", nil)
	return out, nil
}

// Dismiss sets a letter aside with a reason.
func (s *Letters) Dismiss(id int64, reason string) error {
	u, err := s.core.Require(letterDeciders...)
	if err != nil {
		return err
	}
	p, st, err := s.core.intake()
	if err != nil {
		return err
	}
	if err := letters.Dismiss(context.Background(), p, audit.Log{Store: st, Clock: s.core.Clock}, id, reason, u.Username); err != nil {
		return err
	}
	s.core.Events.Emit("letters:changed", nil)
	return nil
}
