package classify_test

import (
	"reflect"
	"testing"

	"cockpit/backend/classify"
)

func TestFindBatchesWordingVariants(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"批号BY2605A17，冲泡有硬块", []string{"BY2605A17"}},
		{"批号是BY2605A17", []string{"BY2605A17"}},
		{"罐底批次：by2605a17", []string{"BY2605A17"}},
		{"BY2605A17这个批次是不是有问题", []string{"BY2605A17"}},
		{"Batch number is LOT-7781 on the tin", []string{"LOT-7781"}},
		{"买了3罐同一批次的奶粉", nil},
		{"batch number is missing", nil},
	} {
		if got := classify.FindBatches(tc.text); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("FindBatches(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
