package dovecottest

import (
	"testing"
	"time"
)

func TestReapedCPU(t *testing.T) {
	tests := []struct {
		name, stat string
		want       time.Duration
		wantErr    bool
	}{
		{"dovecot master", "4242 (dovecot) S 1 4242 4242 0 -1 4194560 900 12000 0 0 5 3 417 82 20 0 1 0 5749303 9000000 800 18446744073709551615",
			4990 * time.Millisecond, false},
		{"name with spaces and parentheses", "7 (a) b (c)) S 1 7 7 0 -1 0 0 0 0 0 0 0 1 2 20 0 1 0", 30 * time.Millisecond, false},
		{"no children yet", "9 (dovecot) S 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0", 0, false},
		{"cut short", "9 (dovecot) S 1 9 9 0 -1 0 0 0 0 0 0 0", 0, true},
		{"not a number", "9 (dovecot) S 1 9 9 0 -1 0 0 0 0 0 0 0 x 0 20 0 1 0", 0, true},
		{"no command name", "", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := reapedCPU([]byte(tc.stat))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
