// Command fakehost stands in for a desktop's tray host (KDE Plasma, GNOME with AppIndicator, XFCE), which
// cannot run on a test machine: it owns org.kde.StatusNotifierWatcher on the session bus, waits for a tray
// item to register, reads its menu over com.canonical.dbusmenu as a real host does, prints one label per
// line, and can click an item. scripts/test.d/60-tray.sh uses it to drive the real cockpit-tray binary.
//
//	fakehost [--wait-for PREFIX] [--click PREFIX] [--timeout 30s]
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

const watcherName = "org.kde.StatusNotifierWatcher"

// watcher records which item registered.
type watcher struct{ items chan string }

// RegisterStatusNotifierItem is called by the tray item with its object path (or bus name).
func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, pathOrName string) *dbus.Error {
	path := pathOrName
	if !strings.HasPrefix(path, "/") {
		path = "/StatusNotifierItem"
	}
	w.items <- string(sender) + " " + path
	return nil
}

// RegisterStatusNotifierHost is part of the interface; the fake is its own host.
func (w *watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// item is one dbusmenu entry.
type item struct {
	id       int32
	label    string
	children []item
}

func main() {
	waitFor := flag.String("wait-for", "", "keep reading the menu until an item label starts with this")
	click := flag.String("click", "", "click the first item whose label starts with this")
	timeout := flag.Duration("timeout", 30*time.Second, "give up after this long")
	flag.Parse()
	if err := run(*waitFor, *click, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "fakehost:", err)
		os.Exit(1)
	}
}

func run(waitFor, click string, timeout time.Duration) error {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return fmt.Errorf("session bus: %w", err)
	}
	defer conn.Close()
	w := &watcher{items: make(chan string, 4)}
	if err := conn.Export(w, "/StatusNotifierWatcher", watcherName); err != nil {
		return err
	}
	if reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		return fmt.Errorf("cannot own %s (reply %v): %v", watcherName, reply, err)
	}
	deadline := time.After(timeout)
	var who string
	select {
	case who = <-w.items:
	case <-deadline:
		return errors.New("no tray item registered")
	}
	sender, path, _ := strings.Cut(who, " ")
	menuPath := dbus.ObjectPath(path + "/menu")
	if v, err := conn.Object(sender, dbus.ObjectPath(path)).GetProperty("org.kde.StatusNotifierItem.Menu"); err == nil {
		if p, ok := v.Value().(dbus.ObjectPath); ok {
			menuPath = p
		}
	}
	menu := conn.Object(sender, menuPath)
	var items []item
	for {
		if items, err = layout(menu); err != nil {
			return err
		}
		if waitFor == "" || find(items, waitFor) != nil {
			break
		}
		select {
		case <-deadline:
			printItems(items)
			return fmt.Errorf("no menu item starting with %q", waitFor)
		case <-time.After(500 * time.Millisecond):
		}
	}
	printItems(items)
	if click != "" {
		it := find(items, click)
		if it == nil {
			return fmt.Errorf("no menu item starting with %q to click", click)
		}
		if call := menu.Call("com.canonical.dbusmenu.Event", 0, it.id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())); call.Err != nil {
			return fmt.Errorf("click %q: %w", it.label, call.Err)
		}
		fmt.Printf("clicked: %s\n", it.label)
	}
	return nil
}

func layout(menu dbus.BusObject) ([]item, error) {
	var revision uint32
	var root struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	if err := menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&revision, &root); err != nil {
		return nil, fmt.Errorf("GetLayout: %w", err)
	}
	return children(root.Children), nil
}

// children decodes dbusmenu's (ia{sv}av) layout tuples.
func children(vs []dbus.Variant) []item {
	var out []item
	for _, v := range vs {
		fields, ok := v.Value().([]any)
		if !ok || len(fields) != 3 {
			continue
		}
		var it item
		it.id, _ = fields[0].(int32)
		if props, ok := fields[1].(map[string]dbus.Variant); ok {
			if l, ok := props["label"].Value().(string); ok {
				it.label = l
			}
			if t, ok := props["type"].Value().(string); ok && t == "separator" {
				it.label = "---"
			}
		}
		if kids, ok := fields[2].([]dbus.Variant); ok {
			it.children = children(kids)
		}
		out = append(out, it)
	}
	return out
}

func find(items []item, prefix string) *item {
	for i := range items {
		if strings.HasPrefix(items[i].label, prefix) {
			return &items[i]
		}
		if f := find(items[i].children, prefix); f != nil {
			return f
		}
	}
	return nil
}

func printItems(items []item) {
	for _, it := range items {
		fmt.Println(it.label)
		printItems(it.children)
	}
}
