package importer

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// benchSheet is an n-row generic sheet where every 10th row has a bad date.
func benchSheet(n int) []byte {
	var b bytes.Buffer
	b.WriteString("标题,内容,客户,邮箱,订单号,日期\n")
	for i := 0; i < n; i++ {
		date := "2026-11-20 10:00"
		if i%10 == 9 {
			date = "2026-13-40"
		}
		fmt.Fprintf(&b, "投诉%d 奶粉结块,第%d位客户反馈奶粉结块，批次A%d,客户%d,c%d@example.com,JD%010d,%s\n", i, i, i%50, i, i, 2026000000+i, date)
	}
	return b.Bytes()
}

// BenchmarkPlan5000 measures reading and validating a 5000-row CSV (no database).
func BenchmarkPlan5000(b *testing.B) {
	data := benchSheet(5000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := MakePlan("b.csv", data, "generic", nil, shanghai); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport1000 measures a full import of 1000 rows into a real SQLite file (one transaction per
// row through the ingest pipeline), reporting rows/s.
func BenchmarkImport1000(b *testing.B) {
	data := benchSheet(1000)
	for b.Loop() {
		b.StopTimer()
		p, au := newPipeline(b)
		plan, err := MakePlan("b.csv", data, "generic", nil, shanghai)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := Import(context.Background(), p, au, "b.csv", data, plan, "bench")
		if err != nil || rep.Imported != 900 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
