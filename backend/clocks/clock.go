// Package clocks computes SLA and statutory clocks. Every "now" comes from a Clock so tests can inject time.
package clocks

import "time"

// Clock is the single source of "now" for deadline logic.
type Clock interface{ Now() time.Time }

// System is the real clock.
type System struct{}

// Now returns the current time in UTC.
func (System) Now() time.Time { return time.Now().UTC() }

// Fixed is a clock for tests and replays; Advance moves it.
type Fixed struct{ T time.Time }

// Now returns the fixed time.
func (f *Fixed) Now() time.Time { return f.T }

// Advance moves the fixed clock forward.
func (f *Fixed) Advance(d time.Duration) { f.T = f.T.Add(d) }
