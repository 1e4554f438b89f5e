package filings

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
)

// FontCandidates are the CJK fonts the packet PDF can embed, in order of preference. Debian's
// fonts-wqy-microhei (installed by scripts/deps.sh for the window as well) ships only a TrueType
// collection (.ttc), which fpdf cannot read, so TTC files are unpacked to a single face in memory.
var FontCandidates = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
}

// LoadCJKFont returns TrueType bytes fpdf can embed: from path when set (COCKPIT_PDF_FONT), else the
// first candidate that exists.
func LoadCJKFont(path string) ([]byte, error) {
	paths := FontCandidates
	if path != "" {
		paths = []string{path}
	}
	var tried []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tried = append(tried, p)
			continue
		}
		if strings.HasPrefix(string(b), "ttcf") {
			face, err := FirstFace(b)
			if err != nil {
				return nil, fmt.Errorf("font %s: %w", p, err)
			}
			return face, nil
		}
		return b, nil
	}
	return nil, fmt.Errorf("no CJK font found (tried %s); install fonts-wqy-microhei or set COCKPIT_PDF_FONT to a .ttf/.ttc", strings.Join(tried, ", "))
}

var errBadTTC = errors.New("not a valid TrueType collection")

// FirstFace rebuilds the first font of a TrueType collection as a stand-alone TrueType file. No
// maintained Go library writes sfnt files (x/image/font/sfnt only reads), and the job is small: copy
// the face's table directory and its tables, rewriting the offsets. Checksums are copied unchanged:
// they cover the table bytes, which do not change.
func FirstFace(ttc []byte) ([]byte, error) {
	be := binary.BigEndian
	if len(ttc) < 16 || string(ttc[:4]) != "ttcf" || be.Uint32(ttc[8:]) == 0 {
		return nil, errBadTTC
	}
	off := int(be.Uint32(ttc[12:]))
	if off < 0 || off+12 > len(ttc) {
		return nil, errBadTTC
	}
	numTables := int(be.Uint16(ttc[off+4:]))
	dirEnd := off + 12 + 16*numTables
	if numTables == 0 || dirEnd > len(ttc) {
		return nil, errBadTTC
	}
	headerLen := 12 + 16*numTables
	out := make([]byte, headerLen, len(ttc))
	copy(out, ttc[off:off+12])
	for i := 0; i < numTables; i++ {
		rec := ttc[off+12+16*i : off+28+16*i]
		start, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if start < 0 || length < 0 || start+length > len(ttc) {
			return nil, fmt.Errorf("%w: table %q out of range", errBadTTC, rec[:4])
		}
		dst := out[12+16*i : 28+16*i]
		copy(dst, rec[:8]) // tag and checksum
		be.PutUint32(dst[8:], uint32(len(out)))
		be.PutUint32(dst[12:], uint32(length))
		out = append(out, ttc[start:start+length]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}
