package evidence

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes keeps names well under every file system's 255-byte limit, leaving room for prefixes.
const maxNameBytes = 120

// SafeName turns a name from mail, a ticket or a user into one path element that is safe on Linux,
// macOS and Windows: no directories ("../../etc/passwd" -> "passwd"), no control or reserved characters,
// no Windows device names ("CON.txt" -> "_CON.txt"), no leading dots, bounded length. It never returns "".
func SafeName(name string) string {
	name = strings.ToValidUTF8(name, "_")
	// Both separators count: a Windows-style name arriving in mail must not become a directory either.
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			// control and format characters (including bidi overrides that disguise extensions) vanish
		case strings.ContainsRune(`<>:"|?*`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.Trim(b.String(), " .")
	if name == "" {
		return "file"
	}
	base := name
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	if windowsDevice(strings.TrimRight(base, " ")) {
		name = "_" + name
	}
	if len(name) > maxNameBytes {
		ext := path.Ext(name)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		cut := maxNameBytes - len(ext)
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = strings.TrimRight(name[:cut], " .") + ext
	}
	return name
}

func windowsDevice(base string) bool {
	switch strings.ToUpper(base) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	u := strings.ToUpper(base)
	if len(u) == 4 && (strings.HasPrefix(u, "COM") || strings.HasPrefix(u, "LPT")) && u[3] >= '0' && u[3] <= '9' {
		return true
	}
	return false
}
