// Command paintwatch tells `make bench-board` when something is on the screen, by watching pixels rather
// than trusting the web view: WebKit reports a frame as rendered well before the X server shows it when
// the machine is busy. It reads the framebuffer Xvfb keeps in a file (`Xvfb -fbdir DIR` writes DIR/
// Xvfb_screen0 in XWD format), so it needs no X client library and no screenshots.
//
//	paintwatch record -fb DIR/Xvfb_screen0 -out FRAMES
//	    samples the screen every 5 ms until SIGTERM or SIGINT and writes every change, with its time, to FRAMES;
//	paintwatch settled -frames FRAMES -from MS -to MS [-tolerance 0.01]
//	    prints the unix milliseconds of the first change after MS (from) from which the screen stays, until
//	    MS (to), within tolerance of how it looks at MS (to): when what was on screen at "to" appeared;
//	paintwatch list -frames FRAMES -to MS
//	    prints every recorded change with its difference from the screen at MS (to see why "settled" says
//	    what it says).
//
// A sample is a grid of about 20,000 pixels; two samples differ by the share of grid pixels whose grey
// level differs by more than 3 of 255, so a ticking countdown or a blinking caret stays within 1 %,
// while a column of cards coming or going is several per cent.
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const (
	step       = 8 // sample every 8th pixel of every 8th row
	greyJitter = 3 // grey levels two samples of a pixel may differ by and count as equal (white card on grey page: 8)
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "record":
		fs := flag.NewFlagSet("record", flag.ExitOnError)
		fb := fs.String("fb", "", "Xvfb framebuffer file (Xvfb -fbdir DIR: DIR/Xvfb_screen0)")
		out := fs.String("out", "", "file to write the frames to")
		_ = fs.Parse(os.Args[2:])
		err = record(*fb, *out)
	case "settled":
		fs := flag.NewFlagSet("settled", flag.ExitOnError)
		frames := fs.String("frames", "", "file written by record")
		from := fs.Int64("from", 0, "unix ms: look at changes after this")
		to := fs.Int64("to", 0, "unix ms: the screen as it is at this time is the target")
		tol := fs.Float64("tolerance", 0.01, "share of sampled pixels that may differ from the target")
		_ = fs.Parse(os.Args[2:])
		var t int64
		if t, err = settled(*frames, *from, *to, *tol); err == nil {
			fmt.Println(t)
		}
	case "list":
		fs := flag.NewFlagSet("list", flag.ExitOnError)
		frames := fs.String("frames", "", "file written by record")
		to := fs.Int64("to", 0, "unix ms: compare every change with the screen at this time")
		_ = fs.Parse(os.Args[2:])
		err = list(*frames, *to)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "paintwatch:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: paintwatch record -fb FILE -out FRAMES | settled -frames FRAMES -from MS -to MS [-tolerance F]")
	os.Exit(2)
}

// screen is a memory map of an XWD framebuffer file with 32 bits per pixel.
type screen struct {
	mem                 []byte
	width, height, line int
	offset              int
	bigEndian           bool
}

func openScreen(path string) (*screen, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open framebuffer: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	mem, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map framebuffer: %w", err)
	}
	if len(mem) < 100 {
		return nil, errors.New("framebuffer file too short for an XWD header")
	}
	// XWD header: big-endian 32-bit fields (X11 XWDFileHeader).
	field := func(i int) int { return int(binary.BigEndian.Uint32(mem[i*4:])) }
	s := &screen{mem: mem, width: field(4), height: field(5), line: field(12), bigEndian: field(7) == 1}
	if bpp := field(11); bpp != 32 {
		return nil, fmt.Errorf("framebuffer has %d bits per pixel; run Xvfb with -screen 0 WxHx24", bpp)
	}
	s.offset = field(0) + field(19)*12 // header, then one 12-byte XWDColor per colormap entry
	if s.offset+s.line*s.height > len(mem) {
		return nil, errors.New("framebuffer file shorter than its header says")
	}
	return s, nil
}

// sample reads the grid into dst as grey levels.
func (s *screen) sample(dst []byte) []byte {
	dst = dst[:0]
	for y := 0; y < s.height; y += step {
		row := s.mem[s.offset+y*s.line:]
		for x := 0; x < s.width; x += step {
			p := row[x*4 : x*4+4]
			var r, g, b int
			if s.bigEndian {
				r, g, b = int(p[1]), int(p[2]), int(p[3])
			} else {
				r, g, b = int(p[2]), int(p[1]), int(p[0])
			}
			dst = append(dst, byte((r*77+g*150+b*29)>>8))
		}
	}
	return dst
}

// differ is the share of grid pixels that differ by more than greyJitter.
func differ(a, b []byte) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 1
	}
	n := 0
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d > greyJitter || d < -greyJitter {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

type frame struct {
	ms  int64
	img []byte
}

func record(fb, out string) error {
	if fb == "" || out == "" {
		usage()
	}
	var s *screen
	var err error
	// Xvfb creates the file when it starts; the script may start us first.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if s, err = openScreen(fb); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		return err
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	var frames []frame
	var last []byte
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
loop:
	for {
		select {
		case <-stop:
			break loop
		case <-tick.C:
			ms := time.Now().UnixMilli()
			img := s.sample(make([]byte, 0, len(last)))
			if last == nil || differ(img, last) > 0 {
				frames = append(frames, frame{ms, img})
				last = img
			}
		}
	}
	return writeFrames(out, frames)
}

func writeFrames(path string, frames []frame) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, fr := range frames {
		_ = binary.Write(w, binary.LittleEndian, fr.ms)
		_ = binary.Write(w, binary.LittleEndian, uint32(len(fr.img)))
		_, _ = w.Write(fr.img)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write frames: %w", err)
	}
	return f.Close()
}

func readFrames(path string) ([]frame, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var out []frame
	for {
		var ms int64
		var n uint32
		if err := binary.Read(r, binary.LittleEndian, &ms); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("read frames: %w", err)
		}
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, fmt.Errorf("read frames: %w", err)
		}
		img := make([]byte, n)
		if _, err := io.ReadFull(r, img); err != nil {
			return nil, fmt.Errorf("read frames: %w", err)
		}
		out = append(out, frame{ms, img})
	}
}

// at is the index of the last frame at or before ms (-1 if none).
func at(frames []frame, ms int64) int {
	i := -1
	for j, fr := range frames {
		if fr.ms <= ms {
			i = j
		}
	}
	return i
}

func list(path string, to int64) error {
	frames, err := readFrames(path)
	if err != nil {
		return err
	}
	target := at(frames, to)
	if target < 0 {
		return fmt.Errorf("no frame at or before %d", to)
	}
	for _, fr := range frames {
		fmt.Printf("%d %+6d ms  %5.2f %%\n", fr.ms, fr.ms-frames[target].ms, 100*differ(fr.img, frames[target].img))
	}
	return nil
}

func settled(path string, from, to int64, tol float64) (int64, error) {
	frames, err := readFrames(path)
	if err != nil {
		return 0, err
	}
	// The target is the last frame at or before "to"; walk back while frames stay close to it.
	target := at(frames, to)
	if target < 0 || frames[target].ms <= from {
		return 0, fmt.Errorf("the screen did not change between %d and %d", from, to)
	}
	first := target
	for i := target - 1; i >= 0 && frames[i].ms > from && differ(frames[i].img, frames[target].img) <= tol; i-- {
		first = i
	}
	return frames[first].ms, nil
}
