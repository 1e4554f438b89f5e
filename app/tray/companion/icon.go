package companion

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"sync"

	"fyne.io/fyne/v2"
)

// Mood is what the tray icon says at a glance.
type Mood int

const (
	Calm    Mood = iota // nothing due soon
	Warning             // clocks due within the window
	Alarm               // breached clocks or red alerts
)

func moodOf(s Snapshot) Mood {
	switch {
	case s.Breached > 0 || len(s.Red) > 0:
		return Alarm
	case s.DueSoon > 0:
		return Warning
	}
	return Calm
}

var (
	iconOnce  sync.Once
	iconCache [3]fyne.Resource
)

// Icon is the tray icon for a mood: a filled disc (blue, amber, red) with a white ring, drawn here so
// the binary needs no icon files.
func Icon(m Mood) fyne.Resource {
	iconOnce.Do(func() {
		fills := [3]color.RGBA{{31, 95, 191, 255}, {230, 150, 20, 255}, {210, 40, 40, 255}}
		names := [3]string{"cockpit-calm.png", "cockpit-warning.png", "cockpit-alarm.png"}
		for i, fill := range fills {
			const size = 64
			img := image.NewNRGBA(image.Rect(0, 0, size, size))
			for y := 0; y < size; y++ {
				for x := 0; x < size; x++ {
					dx, dy := float64(x)-31.5, float64(y)-31.5
					switch d := dx*dx + dy*dy; {
					case d < 20*20:
						img.Set(x, y, fill)
					case d < 26*26:
						img.Set(x, y, color.White)
					case d < 30*30:
						img.Set(x, y, fill)
					}
				}
			}
			var b bytes.Buffer
			_ = png.Encode(&b, img) // cannot fail on a bytes.Buffer
			iconCache[i] = fyne.NewStaticResource(names[i], b.Bytes())
		}
	})
	return iconCache[m]
}
