package classify

import "testing"

func TestCleanStopsAtQuotesAndSignatures(t *testing.T) {
	markers := prepareMarkers([]string{"-----Original Message-----", "发件人:", "From:"},
		[]string{"-- ", "--", "Best regards", "此致", "祝好"})
	for _, tc := range []struct{ name, in, want string }{
		{"quoted lines skipped", "奶粉有问题\n> 您好，请提供批号\n批号 A123", "奶粉有问题\n批号 A123"},
		{"quote header in any case", "still broken\n-----ORIGINAL MESSAGE-----\nour reply", "still broken"},
		{"Chinese quote header", "要退款\n发件人: 客服\n旧邮件", "要退款"},
		{"signature", "refund please\nbest regards,\nBob", "refund please"},
		{"short marker only as the whole line", "--help is not a signature\n--\nsig", "--help is not a signature"},
		{"wrote line", "it leaks\nOn Mon, 3 Nov 2026, Service <s@shop.cn> WROTE:\nold", "it leaks"},
		{"Chinese wrote line", "还没发货\n在 2026年11月3日 客服 写道：\n旧", "还没发货"},
		{"marker inside a line", "I said Best regards to them\nrest", "I said Best regards to them\nrest"},
		{"CRLF", "a\r\n此致\r\n敬礼", "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := clean(tc.in, markers); got != tc.want {
				t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
