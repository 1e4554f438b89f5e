package review

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes every figure of rep as rows of section, key, subkey, count, share, previous. The file
// starts with a UTF-8 byte-order mark so that spreadsheet programs read the Chinese text correctly.
func WriteCSV(w io.Writer, rep Report) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	row := func(section, key, sub string, count int, share float64, previous string) {
		sh := ""
		if share > 0 {
			sh = strconv.FormatFloat(share, 'f', 4, 64)
		}
		_ = cw.Write([]string{section, safe(key), safe(sub), strconv.Itoa(count), sh, previous})
	}
	_ = cw.Write([]string{"section", "key", "subkey", "count", "share", "previous"})
	row("range", rep.Range.From, rep.Range.To, rep.Contacts, 0, "")
	for _, c := range rep.ByType {
		row("type", c.Type, "", c.Count, c.Share, strconv.Itoa(c.Previous))
	}
	for _, c := range rep.BySubtype {
		row("subtype", c.Type, c.Subtype, c.Count, c.Share, strconv.Itoa(c.Previous))
	}
	for h, n := range rep.ByHour {
		row("hour", fmt.Sprintf("%02d", h), "", n, 0, "")
	}
	for _, d := range rep.ByDay {
		row("day", d.Date, "", d.Count, 0, "")
	}
	row("cases_opened", "", "", rep.CasesOpened, 0, "")
	for _, l := range rep.Levels {
		row("level", "L"+strconv.Itoa(l.Level), "", l.Count, 0, "")
	}
	row("sla", "met", "", rep.SLA.Met, 0, "")
	row("sla", "breached", "", rep.SLA.Breached, 0, "")
	row("sla", "running", "", rep.SLA.Running, 0, "")
	row("sla", "met_pct", strconv.FormatFloat(rep.SLA.MetPct, 'f', 1, 64), rep.SLA.Clocks, 0, "")
	for _, p := range rep.TopProducts {
		row("top_product", p.Product, "", p.Cases, 0, "")
	}
	for _, p := range rep.TopBatches {
		row("top_batch", p.Product, p.Batch, p.Cases, 0, "")
	}
	for _, a := range rep.Alerts {
		key := a.Type
		if a.Kind == "batch" {
			key = a.Product + " " + a.Batch
		}
		row("alert:"+a.Kind, key, a.Zh, a.Count, a.Share, strconv.Itoa(a.Previous))
	}
	cw.Flush()
	return cw.Error()
}

// safe defuses spreadsheet formulas: product names and sub-types can come from customers' mail, and a
// cell starting with = + - @ would be run by the spreadsheet that opens the export.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
