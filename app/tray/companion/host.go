package companion

import (
	"github.com/godbus/dbus/v5"
)

// StatusNotifierWatcher is the D-Bus name a tray host (KDE, GNOME with AppIndicator, XFCE, waybar...)
// owns; Fyne's systray registers its icon there.
const StatusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// TrayHostPresent reports whether the session has a tray host. Without a session bus, or without an
// owner of the watcher name (a bare X server), there is nowhere to show a tray icon.
func TrayHostPresent() bool {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false
	}
	if err := conn.Hello(); err != nil {
		return false
	}
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, StatusNotifierWatcher).Store(&has); err != nil {
		return false
	}
	return has
}
