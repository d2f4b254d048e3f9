package mailtest

import "testing"

// TestStopRightAfterStart: a server stopped before its accept loop has
// started still stops (it used to accept forever, and a test whose server
// was never used hung in its cleanup until the run timed out).
func TestStopRightAfterStart(t *testing.T) {
	for range 200 {
		Start(t).Stop()
	}
}
