package flicketimport

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Warning kinds: each is one of the original's data quirks and the outcome
// the importer chose for it (README, "Moving from Flicket").
const (
	WarnTimezone          = "naive_datetimes"       // info: datetimes read as --timezone
	WarnNotUTF8           = "text_not_utf8"         // read as Windows-1252
	WarnOrphan            = "orphan_row"            // row pointing at nothing: not imported
	WarnDanglingReference = "dangling_reference"    // reference to a missing row: set to NULL
	WarnMissingFile       = "file_missing"          // upload kept without its file / avatar dropped
	WarnUsernameCase      = "username_case_renamed" // username differing only in case: renamed
	WarnNameCase          = "name_case_renamed"     // department/category/group differing only in case
	WarnDuplicate         = "duplicate_row"         // membership/subscription twice: kept once
	WarnUnusablePassword  = "password_unusable"     // no bcrypt hash: must reset the password
	WarnAuthDomain        = "auth_domain_users"     // domain login is not supported
	WarnNotificationUser  = "notification_user"     // the original's system user: imported disabled
	WarnMissingValue      = "missing_value"         // NULL where a value is required: filled in
	WarnMailSettings      = "mail_settings"         // settings our mail rules refuse: sending suppressed
	WarnEmptySetting      = "empty_setting"         // '' in a nullable setting: stored as not set
	WarnActionPost        = "action_post_is_latest" // info: an action's post_id is the latest reply then
	WarnActionKind        = "action_kind_unknown"   // action kind the app does not know: kept as is
	WarnLocale            = "locale_unsupported"    // language we do not have: English
	WarnInvalidJSON       = "action_data_invalid"   // action data that is not JSON: dropped
)

// Report is what an import (or a dry run) found and did.
type Report struct {
	DryRun bool
	// Source and Imported count rows per target table.
	Source   map[string]int
	Imported map[string]int
	// Warnings by kind, each a list of messages naming the row.
	Warnings map[string][]string
	// Errors stop the import before anything is written.
	Errors []string
	// Files copied and their total size.
	Files     int
	FileBytes int64
}

func newReport(dry bool) *Report {
	return &Report{DryRun: dry, Source: map[string]int{}, Imported: map[string]int{}, Warnings: map[string][]string{}}
}

func (r *Report) warn(kind, format string, args ...any) {
	r.Warnings[kind] = append(r.Warnings[kind], fmt.Sprintf(format, args...))
}

func (r *Report) fail(format string, args ...any) {
	r.Errors = append(r.Errors, fmt.Sprintf(format, args...))
}

// maxListed caps the rows listed per warning kind in the printed report.
const maxListed = 20

// Print writes the report for people.
func (r *Report) Print(w io.Writer) {
	verb := "imported"
	if r.DryRun {
		verb = "would import"
	}
	tables := make([]string, 0, len(r.Source))
	for t := range r.Source {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	fmt.Fprintf(w, "%-16s %10s %12s\n", "table", "source", strings.ReplaceAll(verb, " ", "_"))
	for _, t := range tables {
		fmt.Fprintf(w, "%-16s %10d %12d\n", t, r.Source[t], r.Imported[t])
	}
	fmt.Fprintf(w, "files: %d (%d bytes)\n", r.Files, r.FileBytes)
	kinds := make([]string, 0, len(r.Warnings))
	for k := range r.Warnings {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		list := r.Warnings[k]
		fmt.Fprintf(w, "warning %s: %d\n", k, len(list))
		for i, m := range list {
			if i == maxListed {
				fmt.Fprintf(w, "  ... and %d more\n", len(list)-maxListed)
				break
			}
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
}
