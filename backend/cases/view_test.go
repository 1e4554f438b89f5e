package cases

import (
	"strings"
	"testing"
)

func TestMaskTimelineHidesNumbersAndKeepsOriginal(t *testing.T) {
	events := []Event{{Summary: "回电 13812345678", BodyText: "我的电话是13812345678", BodyHTML: "<p>13812345678</p>"}}
	masked := MaskTimeline(events)
	for _, s := range []string{masked[0].Summary, masked[0].BodyText, masked[0].BodyHTML} {
		if strings.Contains(s, "13812345678") || !strings.Contains(s, "138****5678") {
			t.Errorf("not masked: %q", s)
		}
	}
	if events[0].BodyText != "我的电话是13812345678" {
		t.Errorf("the input was changed: %q", events[0].BodyText)
	}
}
