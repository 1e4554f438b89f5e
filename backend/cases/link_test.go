package cases

import (
	"strings"
	"testing"
	"time"
)

func TestOrderMatcher(t *testing.T) {
	m, err := NewOrderMatcher(nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("这是一段很长的投诉描述，", 100)
	tests := []struct {
		text string
		want []OrderRef
	}{
		{"京东订单 230915123456 的奶粉结块", []OrderRef{{"230915123456", "jd"}}},
		{"JD order 2809123456789", []OrderRef{{"2809123456789", "jd"}}},
		{"天猫订单号：3456789012345678901", []OrderRef{{"3456789012345678901", "tmall"}}},
		{"淘宝 1234567890123456 还没发货", []OrderRef{{"1234567890123456", "taobao"}}},
		{"拼多多 231120-123456789012345 少发了", []OrderRef{{"231120-123456789012345", "pdd"}}},
		{"订单号：A2026-000123，麻烦处理", []OrderRef{{"A2026-000123", "generic"}}},
		{"Order #: pending", nil},
		{"电话 13812345678", nil},
		{long + "京东订单 230915123456" + long, []OrderRef{{"230915123456", "jd"}}},
	}
	for _, tc := range tests {
		got := m.Find(tc.text)
		if len(got) != len(tc.want) {
			t.Errorf("%.40q: got %v, want %v", tc.text, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%.40q: got %v, want %v", tc.text, got, tc.want)
			}
		}
	}
	if _, err := ParseOrderPatterns(`[{"platform":"x","regexp":"\\d+"}]`); err == nil {
		t.Error("pattern without a capture group accepted")
	}
	if _, err := ParseOrderPatterns(`[{"platform":"x","regexp":"("}]`); err == nil {
		t.Error("bad pattern accepted")
	}
	custom, err := ParseOrderPatterns(`[{"platform":"shop","regexp":"SO-(\\d{6})"}]`)
	if err != nil || len(custom.Find("see SO-123456")) != 1 {
		t.Errorf("custom pattern: %v", err)
	}
}

func TestExtractRegulator(t *testing.T) {
	zone := time.FixedZone("CST", 8*3600)
	tests := []struct {
		text, wo string
		due      time.Time
	}{
		{"工单号：1231520261120001。请于2026年11月30日前回复。", "1231520261120001", time.Date(2026, 11, 30, 23, 59, 59, 0, zone)},
		{"投诉编号 SH-2026-77812，回复期限：2026-12-05", "SH-2026-77812", time.Date(2026, 12, 5, 23, 59, 59, 0, zone)},
		{"Work order no. 12315-889900. Please reply by 2026-12-01.", "12315-889900", time.Date(2026, 12, 1, 23, 59, 59, 0, zone)},
		{"请在7个工作日内回复，工单：pending", "", time.Time{}},
		{"工单号：123456789，请于2026年2月30日前回复", "123456789", time.Time{}},
	}
	for _, tc := range tests {
		got := ExtractRegulator(tc.text, zone)
		if got.WorkOrderNo != tc.wo || !got.Deadline.Equal(tc.due) {
			t.Errorf("%q: got %q %v, want %q %v", tc.text, got.WorkOrderNo, got.Deadline, tc.wo, tc.due)
		}
	}
}
