// Command gen writes api-docs/error-codes.json (run by `make api-docs`,
// from the backend directory).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/flicket/flicket/backend/internal/errcodes"
)

func main() {
	codes, err := errcodes.Collect(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := json.MarshalIndent(codes, "", "  ")
	if err == nil {
		err = os.WriteFile("../api-docs/error-codes.json", append(out, '\n'), 0o644) //nolint:gosec // a generated file committed to the repository, for everyone to read
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
