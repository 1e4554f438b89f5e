package companion

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"cockpit/backend/clocks"
)

// Config is how the companion is set up.
type Config struct {
	Soon  time.Duration  // a clock due within Soon is about to breach
	Every time.Duration  // poll interval
	Zone  *time.Location // times are shown in this zone
	Lang  Lang
}

// Companion keeps the tray menu, the status window and the notifications in step with the data dir.
// All Fyne calls happen on Fyne's goroutine (fyne.Do); Poll may run anywhere.
type Companion struct {
	App    fyne.App
	Cfg    Config
	Reader Reader
	Clock  clocks.Clock
	// Open starts the cockpit window, on a case when caseID > 0.
	Open func(caseID int64) error
	// Notify sends a desktop notification (default App.SendNotification).
	Notify func(*fyne.Notification)
	// TrayIcon, when there is a tray, receives the icon for the current mood.
	TrayIcon func(fyne.Resource)
	Log      io.Writer

	menu   *fyne.Menu
	window fyne.Window
	body   *fyne.Container

	last   Snapshot
	mood   Mood
	err    error
	seen   map[string]bool
	primed bool
	noTray bool
}

// New builds a companion; call Menu for the tray and Run to start polling.
func New(a fyne.App, cfg Config, r Reader, clock clocks.Clock, open func(int64) error, log io.Writer) *Companion {
	if cfg.Zone == nil {
		cfg.Zone = time.UTC
	}
	c := &Companion{App: a, Cfg: cfg, Reader: r, Clock: clock, Open: open, Log: log, seen: map[string]bool{}}
	c.Notify = a.SendNotification
	c.menu = fyne.NewMenu(cfg.Lang.t("title"))
	c.rebuildMenu()
	return c
}

// Menu is the tray menu; its items are replaced after each poll.
func (c *Companion) Menu() *fyne.Menu { return c.menu }

// Poll reads the data dir once and applies the result on Fyne's goroutine.
func (c *Companion) Poll(ctx context.Context) {
	s, err := c.Reader.Read(ctx, c.Clock.Now())
	fyne.DoAndWait(func() { c.Apply(s, err) })
}

// Run polls every Cfg.Every until ctx ends.
func (c *Companion) Run(ctx context.Context) {
	c.Poll(ctx)
	t := time.NewTicker(c.Cfg.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.Poll(ctx)
		}
	}
}

// Apply takes a poll's result: notifications for what is new, then the menu and the window. A failed
// read keeps the last good counts and says why in the menu.
func (c *Companion) Apply(s Snapshot, err error) {
	c.err = err
	if err == nil {
		for _, n := range c.changes(s) {
			c.Notify(n)
		}
		c.last = s
		if m := moodOf(s); m != c.mood && c.TrayIcon != nil {
			c.TrayIcon(Icon(m))
		}
		c.mood = moodOf(s)
	} else if c.Log != nil {
		fmt.Fprintf(c.Log, "cockpit-tray: %v\n", err)
	}
	c.rebuildMenu()
	if c.window != nil {
		c.fillWindow()
	}
}

// changes returns the notifications s calls for. The first snapshot gives one summary rather than a
// burst; after that each red alert and each of the user's clocks is announced once per state.
func (c *Companion) changes(s Snapshot) []*fyne.Notification {
	l := c.Cfg.Lang
	now := map[string]bool{}
	var out []*fyne.Notification
	for _, it := range s.Red {
		now[it.Key] = true
		if c.primed && !c.seen[it.Key] {
			out = append(out, fyne.NewNotification(l.t("newRed"), c.label(it)))
		}
	}
	for _, it := range s.Mine {
		now[it.Key] = true
		if c.primed && !c.seen[it.Key] {
			title := l.t("clockSoon")
			if it.Breached {
				title = l.t("clockBreached")
			}
			out = append(out, fyne.NewNotification(title, c.label(it)))
		}
	}
	if !c.primed && (len(s.Red) > 0 || s.Breached > 0) {
		out = append(out, fyne.NewNotification(l.t("title"), l.t("nRedSummary", len(s.Red), s.Breached)))
	}
	// Forget what is gone: an alert that clears and comes back is news again.
	c.seen, c.primed = now, true
	return out
}

func (c *Companion) label(it Item) string {
	l := c.Cfg.Lang
	switch {
	case it.CaseID == 0:
		return l.t("incidentItem", it.Title)
	case it.DueAt.IsZero():
		return l.t("caseItem", it.CaseID, it.Title)
	case it.Breached:
		return l.t("clockLate", it.CaseID, it.Title, it.DueAt.In(c.Cfg.Zone).Format("01-02 15:04"))
	default:
		return l.t("clockDue", it.CaseID, it.Title, it.DueAt.In(c.Cfg.Zone).Format("15:04"))
	}
}

// counts are the three figures at the top of the menu and the window.
func (c *Companion) counts() []string {
	l, s := c.Cfg.Lang, c.last
	return []string{l.t("breached", s.Breached), l.t("dueSoon", shortDuration(c.Cfg.Soon), s.DueSoon), l.t("incidents", s.OpenIncidents)}
}

func (c *Companion) rebuildMenu() {
	l := c.Cfg.Lang
	var items []*fyne.MenuItem
	info := func(text string) { items = append(items, &fyne.MenuItem{Label: text, Disabled: true}) }
	if c.err != nil {
		info(l.t("cannotRead", firstLine(c.err.Error())))
	}
	for _, text := range c.counts() {
		info(text)
	}
	section := func(header string, list []Item) {
		if len(list) == 0 {
			return
		}
		items = append(items, fyne.NewMenuItemSeparator())
		info(header)
		for _, it := range list {
			it := it
			items = append(items, fyne.NewMenuItem(c.label(it), func() { c.open(it.CaseID) }))
		}
	}
	section(l.t("redHeader"), c.last.Red)
	section(l.t("mineHeader"), c.last.Mine)
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem(l.t("openCockpit"), func() { c.open(0) }),
		&fyne.MenuItem{Label: l.t("quit"), IsQuit: true}) // the driver gives IsQuit items its quit action
	c.menu.Items = items
	c.menu.Refresh()
}

func (c *Companion) open(caseID int64) {
	if err := c.Open(caseID); err != nil {
		c.Notify(fyne.NewNotification(c.Cfg.Lang.t("title"), c.Cfg.Lang.t("launchFailed", err.Error())))
	}
}

// NoTrayHost is called when the desktop has no system tray (a bare X server): it says so once, on stderr
// and in a small window that carries the menu's content, and notifications go on as before.
func (c *Companion) NoTrayHost() {
	c.noTray = true
	if c.Log != nil {
		fmt.Fprintln(c.Log, "cockpit-tray:", c.Cfg.Lang.t("noTray"))
	}
	c.ShowWindow()
}

// ShowWindow opens the status window (the tray's content as a window).
func (c *Companion) ShowWindow() {
	if c.window == nil {
		c.window = c.App.NewWindow(c.Cfg.Lang.t("title"))
		c.body = container.NewVBox()
		c.window.SetContent(container.NewVScroll(container.NewPadded(c.body)))
		c.window.Resize(fyne.NewSize(460, 560))
	}
	c.fillWindow()
	c.window.Show()
}

// Window is the status window, nil until shown.
func (c *Companion) Window() fyne.Window { return c.window }

func (c *Companion) fillWindow() {
	l := c.Cfg.Lang
	objs := []fyne.CanvasObject{widget.NewLabelWithStyle(l.t("title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	if c.noTray {
		note := widget.NewLabel(l.t("noTray"))
		note.Wrapping = fyne.TextWrapWord
		objs = append(objs, note)
	}
	if c.err != nil {
		objs = append(objs, widget.NewLabel(l.t("cannotRead", firstLine(c.err.Error()))))
	}
	for _, text := range c.counts() {
		objs = append(objs, widget.NewLabel(text))
	}
	for _, sec := range []struct {
		header string
		list   []Item
	}{{l.t("redHeader"), c.last.Red}, {l.t("mineHeader"), c.last.Mine}} {
		if len(sec.list) == 0 {
			continue
		}
		objs = append(objs, widget.NewSeparator(), widget.NewLabelWithStyle(sec.header, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, it := range sec.list {
			it := it
			b := widget.NewButton(c.label(it), func() { c.open(it.CaseID) })
			b.Alignment = widget.ButtonAlignLeading
			objs = append(objs, b)
		}
	}
	if !c.last.At.IsZero() {
		objs = append(objs, widget.NewLabel(l.t("updated", c.last.At.In(c.Cfg.Zone).Format("15:04:05"))))
	}
	objs = append(objs, widget.NewButton(l.t("openCockpit"), func() { c.open(0) }))
	c.body.Objects = objs
	c.body.Refresh()
}

func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	return strings.TrimSuffix(s, "0m")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 120 {
		return string(r[:117]) + "..."
	}
	return s
}
