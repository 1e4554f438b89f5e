package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"cockpit/backend/cases"
)

// BenchmarkTimelineInsert is the cost of writing timeline entries, full-text indexing included, into a
// workspace of 2,000 cases (a quarter of them open): one entry per transaction as a message is ingested,
// and 50 per transaction as a batch is.
func BenchmarkTimelineInsert(b *testing.B) {
	ctx := context.Background()
	st := openTestStore(b)
	r := rand.New(rand.NewPCG(1, 2))
	phrases := []string{"宝宝喝了以后拉肚子，要求退款并赔偿。", "快递员代签，我没有收到包裹。", "Tracking has not moved for five days.",
		"收到的奶粉结块，怀疑质量问题，订单号JD3000000011。", "我们已记录您的问题并优先核实，2小时内由主管联系您。", "Please refund the order, the item arrived broken."}
	text := func() string { return phrases[r.IntN(len(phrases))] + phrases[r.IntN(len(phrases))] }
	statuses := []cases.Status{cases.StatusOpen, cases.StatusResolved, cases.StatusClosed, cases.StatusClosed}
	at := time.Date(2026, 6, 20, 2, 0, 0, 0, time.UTC)
	var list []SyntheticCase
	for i := range 2000 {
		c := SyntheticCase{Title: fmt.Sprintf("投诉 %d", i), OpenedAt: at, Status: statuses[i%len(statuses)]}
		for range 10 {
			c.Events = append(c.Events, SyntheticEvent{Kind: "email", At: at, Summary: c.Title, Body: text()})
		}
		list = append(list, c)
	}
	ids, err := st.InsertSynthetic(ctx, list)
	if err != nil {
		b.Fatal(err)
	}
	insert := func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO case_events (case_id, kind, occurred_at, summary, body_text)
			VALUES ($1, 'email', '2026-06-21T00:00:00.000Z', 'Re: 投诉', $2)`, ids[4*r.IntN(len(ids)/4)], text())
		return err
	}
	for _, n := range []int{1, 50} {
		b.Run(fmt.Sprintf("per-tx=%d", n), func(b *testing.B) {
			cpu := processCPU()
			for b.Loop() {
				err := st.Tx(ctx, func(tx *sql.Tx) error {
					for range n {
						if err := insert(tx); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			// CPU time as well as wall time: the machine the benchmarks run on is shared.
			b.ReportMetric(float64((processCPU()-cpu).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
