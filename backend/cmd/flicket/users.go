package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/flicket/flicket/backend/internal/auth"
	"github.com/flicket/flicket/backend/internal/jsontext"
	"github.com/flicket/flicket/backend/internal/model"
)

func newUsersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Export or import user accounts (the original Flicket's users.json)",
	}
	cmd.AddCommand(newUsersExportCmd(), newUsersImportCmd())
	return cmd
}

func newUsersExportCmd() *cobra.Command {
	var file string
	var force bool
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write every user as JSON: username, name, email and password hash",
		Long: `export writes [{"username", "name", "email", "password"}] for every user,
the password being the bcrypt hash, to stdout or to --file. An existing file
is only replaced with --force. The file holds password hashes: keep it safe.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withEnv(cmd, func(e *env) error {
				users, err := model.ExportUsers(cmd.Context(), e.db)
				if err != nil {
					return err
				}
				// The original's export format carries the bcrypt hashes, by design.
				data, err := json.MarshalIndent(users, "", "  ") //nolint:gosec // G117: hashes are the point of this export
				if err != nil {
					return fmt.Errorf("encode users: %w", err)
				}
				data = append(data, '\n')
				if file == "" || file == "-" {
					if _, err := cmd.OutOrStdout().Write(data); err != nil {
						return fmt.Errorf("write users: %w", err)
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "exported %d user(s)\n", len(users))
					return nil
				}
				if err := writeNewFile(file, data, force); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "exported %d user(s) to %s\n", len(users), file)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "file to write (default: stdout)")
	cmd.Flags().BoolVar(&force, "force", false, "replace the file if it exists")
	return cmd
}

// writeNewFile writes data to a file readable by its owner only, refusing to
// replace an existing file unless force is set.
func writeNewFile(path string, data []byte, force bool) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists; use --force to replace it", path)
	}
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func newUsersImportCmd() *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Create users from a users.json export (this one's or the original Flicket's)",
		Long: `import reads [{"username", "name", "email", "password"}], the password being a
bcrypt hash ($2a$, $2b$ or $2y$: hashes from the original Flicket keep working).
Every entry is checked first; if any is invalid, or its username is taken (in
the file or in the database), the entries at fault are listed by index and
nothing is imported. Entries whose e-mail already has an account are skipped
and listed. New users get locale "en" and no groups. All in one transaction.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			raw, err := os.ReadFile(file)
			if err != nil {
				return fmt.Errorf("read %s: %w", file, err)
			}
			entries, err := parseUserFile(raw)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			return withEnv(cmd, func(e *env) error {
				plan, err := planImport(cmd, e, entries)
				if err != nil {
					return err
				}
				if err := model.CreateUsers(cmd.Context(), e.db, plan.create); err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				for _, s := range plan.skipped {
					fmt.Fprintf(out, "skipped users[%d] %q: e-mail %s already has an account\n", s.index, s.username, s.email)
				}
				fmt.Fprintf(out, "imported %d user(s), skipped %d (e-mail already used), from %d entries\n",
					len(plan.create), len(plan.skipped), len(entries))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "the users.json to read (required)")
	_ = cmd.MarkFlagRequired("file")
	return cmd
}

// importEntry is one entry of users.json; pointers tell a missing field from
// an empty one.
type importEntry struct {
	Username *string `json:"username"`
	Name     *string `json:"name"`
	Email    *string `json:"email"`
	Password *string `json:"password"`
}

// parsedEntry is an entry that decoded, or why it did not.
type parsedEntry struct {
	importEntry
	err error
}

// parseUserFile decodes the array entry by entry, so one entry with a wrong
// type is reported by its index instead of failing the whole file.
func parseUserFile(raw []byte) ([]parsedEntry, error) {
	// Go's decoder would store broken text as U+FFFD without a word.
	if p := jsontext.Check(raw); p != nil {
		where := "the file"
		if p.Path != "" {
			where = "users" + p.Path
			if p.InKey {
				where = "a field name in " + where
			}
		}
		return nil, fmt.Errorf("%s holds %s (at byte %d); save the file as UTF-8", where, p.What, p.Offset)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("not a JSON array of users: %w", err)
	}
	out := make([]parsedEntry, len(items))
	for i, item := range items {
		dec := json.NewDecoder(bytes.NewReader(item))
		if err := dec.Decode(&out[i].importEntry); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && te.Field != "" {
				out[i].err = fmt.Errorf("%s must be a string", te.Field)
			} else {
				out[i].err = errors.New("must be an object with username, name, email and password")
			}
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) && out[i].err == nil {
			out[i].err = errors.New("must be one object")
		}
	}
	return out, nil
}

type skippedEntry struct {
	index           int
	username, email string
}

type importPlan struct {
	create  []model.User
	skipped []skippedEntry
}

// planImport validates every entry and decides what to create and skip. Any
// problem fails the whole import with one line per entry at fault.
func planImport(cmd *cobra.Command, e *env, entries []parsedEntry) (importPlan, error) {
	type problem struct {
		index int
		msg   string
	}
	var problems []problem
	bad := func(i int, format string, args ...any) {
		problems = append(problems, problem{i, fmt.Sprintf("users[%d]: %s", i, fmt.Sprintf(format, args...))})
	}
	type checked struct {
		username, name, email, hash string
	}
	valid := make([]*checked, len(entries))
	firstEmail, firstName := map[string]int{}, map[string]int{}
	var emails, names []string
	for i, en := range entries {
		if en.err != nil {
			bad(i, "%v", en.err)
			continue
		}
		c, ok := &checked{}, true
		field := func(name string, v *string, maxLen int) string {
			if v == nil || strings.TrimSpace(*v) == "" {
				bad(i, "%s is missing", name)
				ok = false
				return ""
			}
			if strings.ContainsRune(*v, 0) {
				bad(i, "%s holds a NUL character", name)
				ok = false
				return ""
			}
			if n := utf8.RuneCountInString(*v); n > maxLen {
				bad(i, "%s is %d characters long, at most %d fit", name, n, maxLen)
				ok = false
			}
			return *v
		}
		c.username = strings.TrimSpace(field("username", en.Username, 24))
		c.name = strings.TrimSpace(field("name", en.Name, 60))
		c.email = model.NormalizeEmail(field("email", en.Email, 60))
		c.hash = field("password", en.Password, 255)
		if c.email != "" {
			if a, err := mail.ParseAddress(c.email); err != nil || a.Address != c.email {
				bad(i, "email %q is not an e-mail address", *en.Email)
				ok = false
			}
		}
		if c.hash != "" && !auth.IsBcryptHash(c.hash) {
			bad(i, "password is not a bcrypt hash (passwords are imported as hashes, never in clear)")
			ok = false
		}
		if c.username != "" {
			key := strings.ToLower(c.username)
			if j, dup := firstName[key]; dup {
				bad(i, "username %q is already used by users[%d]", c.username, j)
				ok = false
			} else {
				firstName[key] = i
				names = append(names, key)
			}
		}
		if c.email != "" {
			if j, dup := firstEmail[c.email]; dup {
				bad(i, "email %s is already used by users[%d]", c.email, j)
				ok = false
			} else {
				firstEmail[c.email] = i
				emails = append(emails, c.email)
			}
		}
		if ok {
			valid[i] = c
		}
	}
	takenEmails, takenNames, err := model.TakenLogins(cmd.Context(), e.db, emails, names)
	if err != nil {
		return importPlan{}, err
	}
	var plan importPlan
	now := time.Now().UTC()
	for i, c := range valid {
		switch {
		case c == nil:
		case takenEmails[c.email]:
			plan.skipped = append(plan.skipped, skippedEntry{i, c.username, c.email})
		case takenNames[strings.ToLower(c.username)]:
			bad(i, "username %q already exists in the database", c.username)
		default:
			plan.create = append(plan.create, model.User{
				Username: c.username, Name: c.name, Email: c.email, Password: c.hash, Locale: "en", DateAdded: now,
			})
		}
	}
	if len(problems) > 0 {
		sort.SliceStable(problems, func(a, b int) bool { return problems[a].index < problems[b].index })
		w := cmd.ErrOrStderr()
		for _, p := range problems {
			fmt.Fprintln(w, p.msg)
		}
		return importPlan{}, fmt.Errorf("%d problem(s) in the file; nothing was imported", len(problems))
	}
	return plan, nil
}
