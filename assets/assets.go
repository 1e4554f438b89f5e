// Package assets embeds the data Cockpit ships with: the default rule set (keywords, thresholds, SLA
// targets, statutory periods with their legal source and effective dates) and the State Council holiday
// tables. Everything here is data a manager can review and override in the app; code never hard-codes it.
package assets

import "embed"

// Rules holds rules/*.json and rules/holidays/YYYY.json.
//
//go:embed rules
var Rules embed.FS
