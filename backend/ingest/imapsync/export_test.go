package imapsync

import "time"

// SetHandshakeTimeout shortens the connect-to-login limit for a test and returns the undo.
func SetHandshakeTimeout(d time.Duration) func() {
	old := handshakeTimeout
	handshakeTimeout = d
	return func() { handshakeTimeout = old }
}

// TakeTurn holds an account's turn, as a running sync does.
var TakeTurn = takeTurn
