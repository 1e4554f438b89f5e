package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
)

// attachment makes a small file a customer would send: a photo of the goods or a PDF (medical note,
// lawyer's letter, invoice details, the regulator's transfer notice). They are tiny on purpose so the demo
// mailbox stays a few megabytes.
func attachment(r *rand.Rand, kind string, lang, thread int) part {
	if kind == "photo" {
		name := fmt.Sprintf("IMG_%04d.png", 1000+r.IntN(9000))
		if lang == zh && r.IntN(2) == 0 {
			name = fmt.Sprintf("照片%d.png", 1+r.IntN(9))
		}
		return part{contentType: "image/png", filename: name, data: photo(r)}
	}
	name := []string{"证明材料.pdf", "document.pdf"}[lang]
	return part{contentType: "application/pdf", filename: name, data: pdf(fmt.Sprintf("Cockpit demo document, thread %d", thread))}
}

// photo draws a 48x36 picture: a product-coloured box on a table-coloured background.
func photo(r *rand.Rand) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 48, 36))
	bg := color.RGBA{uint8(150 + r.IntN(80)), uint8(130 + r.IntN(80)), uint8(100 + r.IntN(80)), 255}
	fg := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
	for y := 0; y < 36; y++ {
		for x := 0; x < 48; x++ {
			c := bg
			if x > 12 && x < 36 && y > 8 && y < 30 {
				c = fg
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img) // writing to a bytes.Buffer cannot fail
	return b.Bytes()
}

// pdf writes a one-page PDF with one line of ASCII text. Hand-written rather than through go-pdf/fpdf
// because fpdf stamps the creation time and the demo must be byte-identical for a seed.
func pdf(line string) []byte {
	line = strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(line)
	stream := fmt.Sprintf("BT /F1 12 Tf 40 760 Td (%s) Tj ET", line)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
