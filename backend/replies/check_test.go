package replies

import (
	"slices"
	"testing"
	"unicode/utf16"

	"cockpit/assets"
)

func checker(t testing.TB) *Checker {
	t.Helper()
	c, err := LoadChecker(assets.Rules)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCheckForbiddenPhrases(t *testing.T) {
	c := checker(t)
	tests := []struct {
		name  string
		draft string
		want  []string // rule ids in order
		texts []string // the highlighted text, when the case is about spans
	}{
		{"plain 稍等", "您好，请稍等，我查一下。", []string{"wait"}, []string{"稍等"}},
		{"等一下 with 哦", "等一下哦亲", []string{"wait"}, nil},
		{"split by a space", "请稍 等", []string{"wait"}, []string{"稍 等"}},
		{"split by a zero-width space", "请稍\u200b等", []string{"wait"}, []string{"稍\u200b等"}},
		{"split by an ideographic space", "请稍\u3000等", []string{"wait"}, nil},
		{"English hold on", "Please HOLD   ON while I check.", []string{"wait"}, []string{"HOLD   ON"}},
		{"您说话要负责任", "我们没有假货，您说话要负责任。", []string{"deny_fake", "be_responsible"}, []string{"我们没有假货", "您说话要负责任"}},
		{"traditional 您說話要負責", "您說話要負責任", []string{"be_responsible"}, nil},
		{"we must be responsible is fine", "我们说话要负责任，承诺都会兑现。", nil, nil},
		{"blame skin type", "其他客户都没问题，可能是您肤质原因。", []string{"others_fine", "your_fault"}, nil},
		{"blame with 自己", "这是你自己的问题", []string{"your_fault"}, nil},
		{"negated blame is fine", "这不是您自己的问题，是我们的失误。", nil, nil},
		{"polite 您的问题 is fine", "您的问题我已认真看完，这是您的问题的处理结果。", nil, nil},
		{"English blame", "Honestly, it's your own fault.", []string{"your_fault"}, nil},
		{"English negated blame", "This is not your fault.", nil, nil},
		{"taunt", "你去投诉去，欢迎！你自己不会查？", []string{"taunt", "taunt"}, nil},
		{"whatever", "退不退随你", []string{"whatever"}, nil},
		{"casual apology", "对不起呢，我们会处理", []string{"casual_apology"}, nil},
		{"sincere apology is fine", "对不起，亲爱的，非常感谢您的耐心等候。", nil, nil},
		{"vulgar full-width TM", "我ＴＭ也很无奈", []string{"vulgar"}, []string{"我ＴＭ"}},
		{"TM inside a word is fine", "see the HTML and ATM receipt", nil, nil},
		{"vague promise", "我们会尽快处理", []string{"vague_promise"}, nil},
		{"private channel", "加我个人微信，私下给您补偿", []string{"private_channel", "private_channel"}, nil},
		{"clean approved script", "非常抱歉给您带来困扰，我们已记录您的反馈并将优先核实，2小时内由主管联系您解决。", nil, nil},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Check(tt.draft)
			var ids, texts []string
			for _, f := range got {
				ids = append(ids, f.Rule)
				texts = append(texts, f.Text)
				if f.Zh == "" || f.En == "" {
					t.Errorf("finding %s has no explanation", f.Rule)
				}
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("rules %v, want %v (findings %+v)", ids, tt.want, got)
			}
			if tt.texts != nil && !slices.Equal(texts, tt.texts) {
				t.Errorf("texts %q, want %q", texts, tt.texts)
			}
		})
	}
}

// Offsets are UTF-16 so the editor can highlight with JavaScript string indices, also after emoji
// (two UTF-16 units) and multi-byte Chinese characters.
func TestCheckOffsetsAreUTF16(t *testing.T) {
	c := checker(t)
	draft := "😀亲，稍等"
	got := c.Check(draft)
	if len(got) != 1 {
		t.Fatalf("findings %+v", got)
	}
	u := utf16.Encode([]rune(draft))
	if s := string(utf16.Decode(u[got[0].Start:got[0].End])); s != "稍等" {
		t.Errorf("span %d-%d is %q", got[0].Start, got[0].End, s)
	}
}

func TestParseRulesRejectsBadRules(t *testing.T) {
	for name, doc := range map[string]string{
		"not json":     `{`,
		"no rules":     `{"rules": []}`,
		"bad regexp":   `{"rules": [{"id": "x", "re": "(", "zh": "a", "en": "b"}]}`,
		"matches ''":   `{"rules": [{"id": "x", "re": "a*", "zh": "a", "en": "b"}]}`,
		"no zh":        `{"rules": [{"id": "x", "re": "a", "en": "b"}]}`,
		"duplicate id": `{"rules": [{"id": "x", "re": "a", "zh": "a", "en": "b"}, {"id": "x", "re": "b", "zh": "a", "en": "b"}]}`,
	} {
		if _, err := ParseRules([]byte(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// FuzzCheck: any draft (invalid UTF-8 included) yields findings whose spans lie inside the draft.
func FuzzCheck(f *testing.F) {
	c := checker(f)
	for _, s := range []string{"稍等", "请稍\u200b等", "ＴＭ", "😀稍 等", "\xff稍等", "这不是您的问题"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := len(utf16.Encode([]rune(s)))
		for _, fd := range c.Check(s) {
			if fd.Start < 0 || fd.End > n || fd.Start >= fd.End || fd.Text == "" {
				t.Fatalf("bad finding %+v for %q", fd, s)
			}
		}
	})
}

// FuzzParseRules: a hand-edited rules file is either loaded whole or refused with an error.
func FuzzParseRules(f *testing.F) {
	f.Add(`{"rules": [{"id": "x", "re": "稍等", "zh": "a", "en": "b"}]}`)
	f.Add(`{"rules": [{"id": "x", "re": "(?P<n>a)|", "zh": "a", "en": "b"}]}`)
	f.Add(`{"rules": null}`)
	f.Fuzz(func(t *testing.T, doc string) {
		c, err := ParseRules([]byte(doc))
		if err != nil {
			return
		}
		if len(c.Rules()) == 0 {
			t.Fatalf("loaded a checker without rules from %q", doc)
		}
		c.Check(doc)
	})
}
