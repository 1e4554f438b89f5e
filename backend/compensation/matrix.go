package compensation

import (
	"fmt"
	"slices"

	"cockpit/backend/people"
	"cockpit/backend/store"
)

// Type of compensation.
type Type string

const (
	Refund          Type = "refund"
	PartialRefund   Type = "partial_refund"
	Replacement     Type = "replacement"
	Coupon          Type = "coupon"
	Cash            Type = "cash"
	StatutoryDamage Type = "statutory_damages"
	PriceProtection Type = "price_protection" // 价保差价
)

// Types lists every type in display order.
var Types = []Type{Refund, PartialRefund, Replacement, Coupon, Cash, StatutoryDamage, PriceProtection}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// Execution states of an approved request, and which types each one fits.
var executionFits = map[string][]Type{
	"paid":             {Cash, StatutoryDamage, PriceProtection},
	"refunded":         {Refund, PartialRefund, PriceProtection},
	"coupon_issued":    {Coupon},
	"replacement_sent": {Replacement},
}

// Rule is one row of the approval matrix.
type Rule = store.ApprovalRule

// covers says whether rule r applies to a request of type t for amount fen.
func covers(r Rule, t Type, fen int64) bool {
	return (r.Type == "" || Type(r.Type) == t) && (r.MaxFen == 0 || fen <= r.MaxFen)
}

// Covering returns the rules that apply to a request.
func Covering(rules []Rule, t Type, fen int64) []Rule {
	var out []Rule
	for _, r := range rules {
		if covers(r, t, fen) {
			out = append(out, r)
		}
	}
	return out
}

// MayDecide says whether someone of role may approve or reject a request of type t for fen.
func MayDecide(rules []Rule, role people.Role, t Type, fen int64) bool {
	for _, r := range Covering(rules, t, fen) {
		if people.Role(r.Role) == role {
			return true
		}
	}
	return false
}

// Satisfied says whether the approvals given complete some covering rule: that many distinct approvers
// of the rule's role. Approvals by roles the rule does not name do not count towards it.
func Satisfied(rules []Rule, t Type, fen int64, approvals []store.CompDecision) bool {
	for _, r := range Covering(rules, t, fen) {
		seen := map[int64]bool{}
		for _, d := range approvals {
			if d.Verdict == "approve" && d.Role == r.Role {
				seen[d.ApproverID] = true
			}
		}
		if len(seen) >= r.Approvers {
			return true
		}
	}
	return false
}

// ValidateRules checks an edited matrix before it is saved.
func ValidateRules(rules []Rule) error {
	if len(rules) == 0 {
		return fmt.Errorf("the approval matrix needs at least one rule, or nothing could ever be approved")
	}
	for i, r := range rules {
		if r.Type != "" && !Type(r.Type).Valid() {
			return fmt.Errorf("rule %d: unknown type %q", i+1, r.Type)
		}
		if !people.Role(r.Role).Valid() {
			return fmt.Errorf("rule %d: unknown role %q", i+1, r.Role)
		}
		if r.MaxFen < 0 || r.MaxFen > MaxFen {
			return fmt.Errorf("rule %d: limit must be between 0 (no limit) and %s yuan", i+1, FormatYuan(MaxFen))
		}
		if r.Approvers < 1 || r.Approvers > 5 {
			return fmt.Errorf("rule %d: approvers must be 1 to 5", i+1)
		}
	}
	return nil
}
