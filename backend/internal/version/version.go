// Package version holds the build's version, set by the linker
// (-ldflags "-X .../version.Version=v1.2.3").
package version

import "runtime/debug"

// Set at build time by the Makefile.
var (
	Version = "dev"
	Commit  = ""
)

// String is the one-line version shown by `flicket version`.
func String() string {
	commit := Commit
	if commit == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 7 {
					commit = s.Value[:7]
				}
			}
		}
	}
	if commit == "" {
		return "flicket " + Version
	}
	return "flicket " + Version + " (" + commit + ")"
}
