package pii

import "testing"

func TestTextMasksPhonesAndIDsButNotOrderNumbers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"我的联系电话是19925972086，白天都可以打。", "我的联系电话是199****2086，白天都可以打。"},
		{"call +86 139-1234-5678 please", "call 139****5678 please"},
		{"订单号：3230218756194937203", "订单号：3230218756194937203"},       // 19-digit order number
		{"订单261121-970119828690552", "订单261121-970119828690552"},     // JD-style order, not a phone
		{"身份证 11010519491231002X 已上传", "身份证 11**************2X 已上传"}, // valid check digit
		{"单号 110105194912310021", "单号 110105194912310021"},           // wrong check digit: an order number
		{"", ""},
		{"no numbers here", "no numbers here"},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("电话13812345678 身份证11010519491231002X")
	f.Fuzz(func(t *testing.T, s string) {
		once := Text(s)
		if twice := Text(once); twice != once {
			t.Fatalf("masking is not stable: %q -> %q -> %q", s, once, twice)
		}
	})
}
