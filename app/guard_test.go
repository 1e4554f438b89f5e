package app

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"cockpit/backend/people"
)

// openBindings are the bound methods that must work before anyone signs in: the first screen (status,
// the demo workspace), the sign-in itself, static templates and the bench start-up marks. Everything else
// Wails binds must refuse a caller who is not signed in.
var openBindings = map[string]bool{
	"System.Status": true, "System.OpenDemo": true,
	"People.State": true, "People.Setup": true, "People.SignIn": true, "People.Unlock": true, "People.SignOut": true,
	"Filings.MatterTypes": true, "System.Mark": true,
}

// TestEveryBoundMethodNeedsSignIn calls every exported method of every bound service (as Wails binds
// them, so a service added later is covered too) with zero arguments before sign-in: each must answer
// people.ErrNotSignedIn, which means its guard ran before anything else.
func TestEveryBoundMethodNeedsSignIn(t *testing.T) {
	core, _ := openCore(t)
	errType := reflect.TypeOf((*error)(nil)).Elem()
	var checked []string
	for _, svc := range Services(core) {
		v := reflect.ValueOf(svc)
		typ := v.Type()
		for i := 0; i < typ.NumMethod(); i++ {
			m := typ.Method(i)
			name := typ.Elem().Name() + "." + m.Name
			if openBindings[name] {
				continue
			}
			checked = append(checked, name)
			mt := m.Type
			if mt.NumOut() == 0 || mt.Out(mt.NumOut()-1) != errType {
				t.Errorf("%s returns no error, so it cannot refuse a caller who is not signed in", name)
				continue
			}
			args := []reflect.Value{v}
			for j := 1; j < mt.NumIn(); j++ {
				args = append(args, reflect.Zero(mt.In(j)))
			}
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panicked: %v", r)
					}
				}()
				out := m.Func.Call(args)
				e, _ := out[len(out)-1].Interface().(error)
				return e
			}()
			if !errors.Is(err, people.ErrNotSignedIn) {
				t.Errorf("%s before sign-in: %v, want %v", name, err, people.ErrNotSignedIn)
			}
		}
	}
	sort.Strings(checked)
	if len(checked) < 40 {
		t.Fatalf("only %d bound methods found: %v", len(checked), checked)
	}
	t.Logf("%d bound methods refuse callers who are not signed in", len(checked))
}
