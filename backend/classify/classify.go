// Package classify decides a case's type and sub-type, its risk flags and its level from the
// customer's words, the order and the case's history, and records the evidence for every decision
// (rule ids, matched words, amounts) so that a supervisor sees why and can override with a reason.
package classify

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"cockpit/backend/rules"
)

// Input is what the classifier looks at.
type Input struct {
	Subject string
	// Bodies are the customer's messages (plain text), oldest first; our replies are not included.
	Bodies         []string
	OrderAmountFen int64
	OrderBatch     string
	Vulnerable     bool // from the customer record
	Contacts       int  // customer messages on this case
	Regulator      bool // arrived through a regulator channel (12315 work order, SAMR letter)
	Incident       bool // the case belongs to a group incident
}

// Evidence is one reason for a decision.
type Evidence struct {
	Rule    string `json:"rule"`              // pattern or rule id
	Match   string `json:"match"`             // the matched words or the amount
	Snippet string `json:"snippet,omitempty"` // the clause it was found in
}

// Flag is a raised risk flag with its evidence.
type Flag struct {
	Name     string     `json:"name"`
	Evidence []Evidence `json:"evidence"`
}

// Result is the classifier's decision with its explanation.
type Result struct {
	Type         string     `json:"type"`
	Subtype      string     `json:"subtype"`
	TypeEvidence []Evidence `json:"type_evidence"`
	Scores       []Score    `json:"scores"` // sub-type scores, best first
	Flags        []Flag     `json:"flags"`
	// Negated are matches a negation cancelled ("没有过敏", "not allergic"), listed so the reader sees
	// that they were noticed and why they raised nothing.
	Negated      []Evidence `json:"negated"`
	Level        int        `json:"level"`
	LevelReasons []string   `json:"level_reasons"`
	AmountFen    int64      `json:"amount_fen"`
	Amount       string     `json:"amount,omitempty"`
	Batches      []string   `json:"batches"`
	RuleVersion  int        `json:"rule_version"`
}

// Score is a sub-type's weight of evidence.
type Score struct {
	Subtype string `json:"subtype"`
	Score   int    `json:"score"`
}

// FlagNames lists the raised flags' names.
func (r Result) FlagNames() []string {
	out := make([]string, 0, len(r.Flags))
	for _, f := range r.Flags {
		out = append(out, f.Name)
	}
	return out
}

// HasFlag reports whether the flag is raised.
func (r Result) HasFlag(name string) bool {
	return slices.ContainsFunc(r.Flags, func(f Flag) bool { return f.Name == name })
}

type hit struct {
	Evidence
	negated bool
}

// matchPattern returns the hits of one of m's expressions among its first limit matches in text,
// and how many matches it found (excluded ones included).
func matchPattern(c *rules.Compiled, m rules.Matcher, p rules.CompiledPattern, text string, limit int) ([]hit, int) {
	var out []hit
	locs := p.RE.FindAllStringIndex(text, limit)
	for _, loc := range locs {
		cs, ce := clause(text, loc[0], loc[1])
		excluded := false
		for _, ex := range m.Exclude {
			if mayMatch(ex, text[cs:ce]) && ex.MatchString(text[cs:ce]) {
				excluded = true
				break
			}
		}
		if excluded {
			continue
		}
		h := hit{Evidence: Evidence{Rule: p.ID, Match: text[loc[0]:loc[1]], Snippet: snippet(text, loc[0], loc[1])}}
		h.negated = p.Negatable && negated(text[cs:loc[0]], c.Set.NegationCues, c.Set.ConditionalCues, c.Set.NegationWindow)
		out = append(out, h)
	}
	return out, len(locs)
}

// registerWords gives every expression of c its word ids before the text is scanned for them.
func registerWords(c *rules.Compiled) {
	for _, ms := range [][]rules.Matcher{c.Subtypes, c.Flags} {
		for _, m := range ms {
			for _, p := range m.Patterns {
				wordsOf(p.RE)
			}
		}
	}
	for _, re := range []*regexp.Regexp{amountRE, batchRE, batchBeforeRE} {
		wordsOf(re)
	}
}

// Text returns the cleaned customer text the classifier reads.
func Text(c *rules.Compiled, in Input) string {
	parts := []string{in.Subject}
	markers := prepareMarkers(c.Set.QuoteMarkers, c.Set.SignatureMarkers)
	for _, b := range in.Bodies {
		parts = append(parts, clean(b, markers))
	}
	return strings.Join(parts, "\n")
}

// Classify decides type, sub-type, flags and level.
func Classify(c *rules.Compiled, in Input) Result { return ClassifyText(c, in, Text(c, in)) }

// ClassifyText is Classify for a caller that has Text(c, in) already.
func ClassifyText(c *rules.Compiled, in Input, text string) Result {
	registerWords(c)
	st := newSearchText(text)
	res := Result{Type: "unknown", TypeEvidence: []Evidence{}, Scores: []Score{}, Flags: []Flag{}, Negated: []Evidence{},
		Batches: findBatches(text, st), RuleVersion: c.Set.Version}
	if in.OrderBatch != "" && !slices.Contains(res.Batches, strings.ToUpper(in.OrderBatch)) {
		res.Batches = append([]string{strings.ToUpper(in.OrderBatch)}, res.Batches...)
	}

	// Sub-type: the most weight of evidence wins; ties go to the earlier rule (rule order is priority).
	best, bestScore := -1, 0
	evidence := map[string][]Evidence{}
	for i, m := range c.Subtypes {
		score := 0
		for _, h := range matchAll(c, m, text, st) {
			if h.negated {
				res.Negated = append(res.Negated, h.Evidence)
				continue
			}
			score += weight(m, h.Rule)
			evidence[m.ID] = append(evidence[m.ID], h.Evidence)
		}
		if score > 0 {
			res.Scores = append(res.Scores, Score{Subtype: m.ID, Score: score})
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	sort.SliceStable(res.Scores, func(i, j int) bool { return res.Scores[i].Score > res.Scores[j].Score })
	if best >= 0 {
		m := c.Subtypes[best]
		res.Type, res.Subtype, res.TypeEvidence = m.Type, m.ID, evidence[m.ID]
	}

	// Amount: the larger of what the customer names and the order's amount.
	for _, a := range findAmounts(text, st) {
		if a.Fen > res.AmountFen {
			res.AmountFen, res.Amount = a.Fen, a.Text
		}
	}
	if in.OrderAmountFen > res.AmountFen {
		res.AmountFen, res.Amount = in.OrderAmountFen, fmt.Sprintf("order amount %s yuan", Yuan(in.OrderAmountFen))
	}

	for _, m := range c.Flags {
		var ev []Evidence
		for _, h := range matchAll(c, m, text, st) {
			if h.negated {
				res.Negated = append(res.Negated, h.Evidence)
				continue
			}
			ev = append(ev, h.Evidence)
		}
		switch m.ID {
		case "high_value":
			if res.AmountFen >= c.Set.HighValueFen {
				ev = append(ev, Evidence{Rule: "high_value_fen", Match: fmt.Sprintf("%s (≥ %s yuan)", res.Amount, Yuan(c.Set.HighValueFen))})
			}
		case "vulnerable":
			if in.Vulnerable {
				ev = append(ev, Evidence{Rule: "customer.vulnerable", Match: "customer record marked vulnerable"})
			}
		}
		if len(ev) > 0 {
			res.Flags = append(res.Flags, Flag{Name: m.ID, Evidence: dedupe(ev)})
		}
	}
	res.Level, res.LevelReasons = Level(c, Signals{Flags: res.FlagNames(), AmountFen: res.AmountFen,
		Contacts: in.Contacts, Regulator: in.Regulator, Incident: in.Incident})
	return res
}

func weight(m rules.Matcher, patternID string) int {
	for _, p := range m.Patterns {
		if p.ID == patternID {
			return p.Weight
		}
	}
	return 1
}

// dedupe keeps one piece of evidence per matched word.
func dedupe(ev []Evidence) []Evidence {
	seen := map[string]bool{}
	out := ev[:0]
	for _, e := range ev {
		k := e.Rule + "\x00" + strings.ToLower(e.Match)
		if !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// Yuan renders fen as yuan with thousands separators: 1299950 -> "12,999.50".
func Yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	whole := fmt.Sprint(fen / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := b.String()
	if f := fen % 100; f != 0 {
		s += fmt.Sprintf(".%02d", f)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Signals decide the level.
type Signals struct {
	Flags     []string
	AmountFen int64
	Contacts  int
	Regulator bool
	Incident  bool
}

// Level applies the level rules, most severe first, and returns the level with every reason that
// holds for it.
func Level(c *rules.Compiled, s Signals) (int, []string) {
	lr := slices.Clone(c.Set.Levels)
	sort.SliceStable(lr, func(i, j int) bool { return lr[i].Level < lr[j].Level })
	for _, r := range lr {
		var why []string
		for _, f := range r.AnyFlags {
			if slices.Contains(s.Flags, f) {
				why = append(why, "flag "+f)
			}
		}
		if r.Incident && s.Incident {
			why = append(why, "group incident")
		}
		if r.RegulatorChannel && s.Regulator {
			why = append(why, "arrived through a regulator channel")
		}
		if r.MinContacts > 0 && s.Contacts >= r.MinContacts {
			why = append(why, fmt.Sprintf("%d contacts (≥ %d)", s.Contacts, r.MinContacts))
		}
		if r.MinAmountFen > 0 && s.AmountFen >= r.MinAmountFen {
			why = append(why, fmt.Sprintf("amount %s yuan (≥ %s)", Yuan(s.AmountFen), Yuan(r.MinAmountFen)))
		}
		if len(why) > 0 {
			return r.Level, why
		}
	}
	return c.Set.DefaultLevel, []string{"no level-raising signal"}
}
