package rules

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"cockpit/backend/calendar"
)

// Compiled is a validated rule set ready to run: expressions compiled, calendar and zone loaded.
type Compiled struct {
	Set      RuleSet
	Loc      *time.Location
	Calendar *calendar.Calendar
	Subtypes []Matcher
	Flags    []Matcher
	Hours    map[string]Window
	Clocks   []Clock
	types    map[string]TypeDef
}

// Matcher is a sub-type or flag with its compiled expressions.
type Matcher struct {
	ID       string
	Type     string // parent type, sub-types only
	Patterns []CompiledPattern
	Exclude  []*regexp.Regexp
}

// CompiledPattern is a Pattern with its expression compiled.
type CompiledPattern struct {
	Pattern
	RE *regexp.Regexp
}

// Window is a compiled business window: minutes after local midnight, and whether it runs on every day
// or only on working days.
type Window struct {
	From, To int
	AllDays  bool
}

// Clock is a clock definition with its condition compiled.
type Clock struct {
	ClockDef
	Text          *TextMatcher
	From, To      calendar.Date // zero: unbounded
	StartEvent    string        // "" when the clock starts at the case's receipt
	ExtendPolicy  calendar.Extend
	BusinessHours Window
}

// Units a clock may count in.
const (
	UnitMinutes       = "minutes"
	UnitHours         = "hours"
	UnitBusinessHours = "business_hours"
	UnitWorkingDays   = "working_days"
	UnitDays          = "days"
)

func compileRE(where, re string) (*regexp.Regexp, error) {
	c, err := regexp.Compile("(?i)" + re)
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", where, err)
	}
	return c, nil
}

func compilePatterns(owner string, ps []Pattern) ([]CompiledPattern, error) {
	out := make([]CompiledPattern, 0, len(ps))
	for _, p := range ps {
		if p.ID == "" || strings.TrimSpace(p.Re) == "" {
			return nil, fmt.Errorf("rules: %s: every pattern needs an id and an expression", owner)
		}
		re, err := compileRE(owner+" pattern "+p.ID, p.Re)
		if err != nil {
			return nil, err
		}
		if re.MatchString("") {
			return nil, fmt.Errorf("rules: %s pattern %s matches empty text", owner, p.ID)
		}
		if p.Weight <= 0 {
			p.Weight = 1
		}
		out = append(out, CompiledPattern{Pattern: p, RE: re})
	}
	return out, nil
}

func compileExcludes(owner string, exs []string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	for i, ex := range exs {
		re, err := compileRE(fmt.Sprintf("%s exclude #%d", owner, i+1), ex)
		if err != nil {
			return nil, err
		}
		out = append(out, re)
	}
	return out, nil
}

func parseHHMM(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Compile validates rs. Every error names the rule it is about so that an editor can fix it.
func Compile(rs RuleSet) (*Compiled, error) {
	c := &Compiled{Set: rs, Hours: map[string]Window{}, types: map[string]TypeDef{}}
	var err error
	zone := rs.Zone
	if zone == "" {
		zone = "Asia/Shanghai"
	}
	if c.Loc, err = time.LoadLocation(zone); err != nil {
		return nil, fmt.Errorf("rules: zone %q: %w", zone, err)
	}
	if c.Calendar, err = calendar.New(rs.Holidays); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	if _, err := calendar.ParseDate(rs.EffectiveFrom); err != nil {
		return nil, fmt.Errorf("rules: effective_from: %w", err)
	}
	if rs.HighValueFen <= 0 || rs.RepeatContacts <= 0 {
		return nil, fmt.Errorf("rules: high_value_fen and repeat_contacts must be positive")
	}
	if rs.DefaultLevel < 1 || rs.DefaultLevel > 3 {
		return nil, fmt.Errorf("rules: default_level must be 1-3")
	}
	if rs.Incidents.MinCustomers < 2 || rs.Incidents.WindowHours < 1 {
		return nil, fmt.Errorf("rules: incidents need min_customers >= 2 and window_hours >= 1")
	}
	if rs.Trends.Share <= 0 || rs.Trends.Share > 1 || rs.Trends.MinContacts < 1 {
		return nil, fmt.Errorf("rules: trends need 0 < share <= 1 and min_contacts >= 1")
	}
	if rs.Handover.AckMinutes < 1 {
		return nil, fmt.Errorf("rules: handover.ack_minutes must be positive")
	}
	for _, t := range rs.Types {
		c.types[t.ID] = t
	}
	flagIDs := map[string]bool{}
	for _, f := range rs.Flags {
		if f.ID == "" || flagIDs[f.ID] {
			return nil, fmt.Errorf("rules: flag id %q empty or repeated", f.ID)
		}
		flagIDs[f.ID] = true
		m := Matcher{ID: f.ID}
		if m.Patterns, err = compilePatterns("flag "+f.ID, f.Patterns); err != nil {
			return nil, err
		}
		if m.Exclude, err = compileExcludes("flag "+f.ID, f.Exclude); err != nil {
			return nil, err
		}
		c.Flags = append(c.Flags, m)
	}
	seen := map[string]bool{}
	for _, s := range rs.Subtypes {
		if _, ok := c.types[s.Type]; !ok {
			return nil, fmt.Errorf("rules: sub-type %s: unknown type %q", s.ID, s.Type)
		}
		if s.ID == "" || seen[s.ID] {
			return nil, fmt.Errorf("rules: sub-type id %q empty or repeated", s.ID)
		}
		seen[s.ID] = true
		m := Matcher{ID: s.ID, Type: s.Type}
		if m.Patterns, err = compilePatterns("sub-type "+s.ID, s.Patterns); err != nil {
			return nil, err
		}
		if m.Exclude, err = compileExcludes("sub-type "+s.ID, s.Exclude); err != nil {
			return nil, err
		}
		c.Subtypes = append(c.Subtypes, m)
	}
	for i, l := range rs.Levels {
		if l.Level < 1 || l.Level > 3 {
			return nil, fmt.Errorf("rules: level rule #%d: level must be 1-3", i+1)
		}
		for _, f := range l.AnyFlags {
			if !flagIDs[f] {
				return nil, fmt.Errorf("rules: level %d rule names unknown flag %q", l.Level, f)
			}
		}
	}
	for name, h := range rs.BusinessHours {
		from, err := parseHHMM(h.From)
		if err != nil {
			return nil, fmt.Errorf("rules: business hours %s: %w", name, err)
		}
		to, err := parseHHMM(h.To)
		if err != nil {
			return nil, fmt.Errorf("rules: business hours %s: %w", name, err)
		}
		if to <= from {
			return nil, fmt.Errorf("rules: business hours %s: %s is not after %s", name, h.To, h.From)
		}
		if h.Days != "workdays" && h.Days != "all" {
			return nil, fmt.Errorf("rules: business hours %s: days must be workdays or all", name)
		}
		c.Hours[name] = Window{From: from, To: to, AllDays: h.Days == "all"}
	}
	ids := map[string]bool{}
	for _, d := range rs.Clocks() {
		cl, err := c.compileClock(d, flagIDs)
		if err != nil {
			return nil, err
		}
		if ids[d.ID] {
			return nil, fmt.Errorf("rules: clock id %q repeated", d.ID)
		}
		ids[d.ID] = true
		c.Clocks = append(c.Clocks, cl)
	}
	return c, nil
}

func (c *Compiled) compileClock(d ClockDef, flags map[string]bool) (Clock, error) {
	cl := Clock{ClockDef: d}
	where := "clock " + d.ID
	if d.ID == "" {
		return cl, fmt.Errorf("rules: a clock has no id")
	}
	if d.Amount < 1 {
		return cl, fmt.Errorf("rules: %s: amount must be positive", where)
	}
	switch d.Unit {
	case UnitMinutes, UnitHours, UnitWorkingDays:
	case UnitBusinessHours:
		w, ok := c.Hours[d.Hours]
		if !ok {
			return cl, fmt.Errorf("rules: %s: unknown business hours %q", where, d.Hours)
		}
		cl.BusinessHours = w
	case UnitDays:
		ext := d.Extend
		if ext == "" {
			ext = c.Set.ExtendDefault
		}
		p, err := calendar.ParseExtend(ext)
		if err != nil {
			return cl, fmt.Errorf("rules: %s: %w", where, err)
		}
		cl.ExtendPolicy = p
	default:
		return cl, fmt.Errorf("rules: %s: unknown unit %q", where, d.Unit)
	}
	switch {
	case d.Start == "opened":
	case strings.HasPrefix(d.Start, "event:") && len(d.Start) > len("event:"):
		cl.StartEvent = strings.TrimPrefix(d.Start, "event:")
	default:
		return cl, fmt.Errorf("rules: %s: start must be \"opened\" or \"event:KIND\"", where)
	}
	var err error
	if d.EffectiveFrom != "" {
		if cl.From, err = calendar.ParseDate(d.EffectiveFrom); err != nil {
			return cl, fmt.Errorf("rules: %s effective_from: %w", where, err)
		}
	}
	if d.EffectiveTo != "" {
		if cl.To, err = calendar.ParseDate(d.EffectiveTo); err != nil {
			return cl, fmt.Errorf("rules: %s effective_to: %w", where, err)
		}
	}
	if d.When.Text != "" {
		if cl.Text, err = compileText(where+" when.text", d.When.Text); err != nil {
			return cl, err
		}
	}
	for _, f := range d.When.AnyFlags {
		if !flags[f] {
			return cl, fmt.Errorf("rules: %s names unknown flag %q", where, f)
		}
	}
	return cl, nil
}

// Type returns the type definition by id.
func (c *Compiled) Type(id string) (TypeDef, bool) {
	t, ok := c.types[id]
	return t, ok
}

// AppliesOn reports whether a clock applies to a case received on day d (effective dates).
func (cl Clock) AppliesOn(d calendar.Date) bool {
	if !cl.From.IsZero() && d.Before(cl.From) {
		return false
	}
	if !cl.To.IsZero() && !d.Before(cl.To) {
		return false
	}
	return true
}
