package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	custody "github.com/opencustody/custody"
	"github.com/opencustody/custody/password"
	"github.com/opencustody/custody/sqlstore"
)

// userCommands are the subcommands of `custody user`.
var userCommands = []struct {
	name, usage, help string
	run               func(m *Main, ctx context.Context, args []string) error
}{
	{"add", "add --name N --role R [--authority A] [--facility F]... [--nationality XX]... [--password-stdin | --no-password]", "add a user; print their generated password once", (*Main).runUserAdd},
	{"list", "list", "list the users: role, authority, scope, disabled, password, API tokens", (*Main).runUserList},
	{"disable", "disable NAME", "disable a user: their sessions end at once, their API tokens stop working", (*Main).runUserDisable},
	{"enable", "enable NAME", "enable a disabled user again", (*Main).runUserEnable},
	{"password", "password NAME [--password-stdin]", "set a new password (generated and printed once unless given); ends their sessions", (*Main).runUserPassword},
	{"token", "token NAME [--label L] | --revoke", "issue an API token (printed once), or revoke all of the user's tokens", (*Main).runUserToken},
}

// runUser dispatches `custody user SUBCOMMAND`.
func (m *Main) runUser(ctx context.Context, args []string) error {
	if len(args) == 0 {
		m.userUsage(m.Stderr)
		return errUsage
	}
	switch args[0] {
	case "help", "-h", "--help", "-help":
		m.userUsage(m.Stdout)
		return flag.ErrHelp
	}
	for _, c := range userCommands {
		if c.name == args[0] {
			return c.run(m, ctx, args[1:])
		}
	}
	fmt.Fprintf(m.Stderr, "custody user: unknown subcommand %q\n\n", args[0])
	m.userUsage(m.Stderr)
	return errUsage
}

func (m *Main) userUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: custody user SUBCOMMAND [--db DB] [--key FILE] [flags]")
	for _, c := range userCommands {
		fmt.Fprintf(w, "  custody user %s\n      %s\n", c.usage, c.help)
	}
	fmt.Fprintf(w, "Roles: %s. A registrar needs --authority and --facility; escort, receiver, judicial and planner need --authority; a consular officer needs --nationality.\n", roleNames())
}

func roleNames() string {
	names := make([]string, len(custody.Roles))
	for i, r := range custody.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// stringList is a repeatable flag: each use adds one value, or several
// separated by commas.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for p := range strings.SplitSeq(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return errors.New("empty value")
		}
		*l = append(*l, p)
	}
	return nil
}

// parseNamed parses args that hold one positional NAME, before, after or
// among the flags.
func parseNamed(fs *flag.FlagSet, args []string) (string, error) {
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", err
			}
			return "", errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch len(names) {
	case 0:
		fmt.Fprintf(fs.Output(), "%s: the user's NAME is missing\n", fs.Name())
		return "", errUsage
	case 1:
		return names[0], nil
	}
	fmt.Fprintf(fs.Output(), "%s: unexpected argument %q (one user NAME at a time)\n", fs.Name(), names[1])
	return "", errUsage
}

// openUsers opens the store read-write for a user command.
func (m *Main) openUsers(ctx context.Context, db, key string) (*sqlstore.Store, error) {
	return sqlstore.Open(ctx, sqlstore.Config{DB: db, KeyFile: key, Logger: m.logger()})
}

func (m *Main) stdin() io.Reader {
	if m.Stdin != nil {
		return m.Stdin
	}
	return os.Stdin
}

// readPassword reads a password from the first line of r.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("--password-stdin: read standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("--password-stdin: no password on standard input")
	}
	return pw, nil
}

// newPassword returns the password to set and its hash: the one given on
// standard input (fromStdin), or a generated one (generated is then set).
func (m *Main) newPassword(fromStdin bool) (pw, hash string, generated bool, err error) {
	if fromStdin {
		if pw, err = readPassword(m.stdin()); err != nil {
			return "", "", false, err
		}
	} else {
		pw, generated = password.Generate(), true
	}
	hash, err = password.Hash(pw, password.Default)
	if err != nil {
		return "", "", false, fmt.Errorf("--password-stdin: %w", err)
	}
	return pw, hash, generated, nil
}

// checkUserRefs checks a user as the store would (Validate), and that the
// authority and facilities it names are in the log. Errors name the flag.
func checkUserRefs(ctx context.Context, s *sqlstore.Store, u *custody.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.Authority != "" {
		auths, err := s.Authorities(ctx)
		if err != nil {
			return fmt.Errorf("check --authority %s: %w", u.Authority, err)
		}
		if auths[u.Authority] == nil {
			known := slices.Sorted(maps.Keys(auths))
			return fmt.Errorf("--authority %s: no such authority in the log (known: %s)", u.Authority, joinIDs(known))
		}
	}
	for _, f := range u.Facilities {
		if _, err := s.Facility(ctx, f); err != nil {
			if custody.ErrorCode(err) == custody.NotFound {
				return fmt.Errorf("--facility %s: no such facility", f)
			}
			return fmt.Errorf("check --facility %s: %w", f, err)
		}
	}
	return nil
}

func joinIDs[T ~string](ids []T) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}

func (m *Main) runUserAdd(ctx context.Context, args []string) error {
	fs := m.flags("user add")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	name := fs.String("name", "", "login `name` (lower-case letters, digits, - _ . @)")
	role := fs.String("role", "", "the user's `role`: "+roleNames())
	authority := fs.String("authority", "", "the `authority` the user acts for (required for registrar, escort, receiver, judicial, planner)")
	var facilities, nationalities stringList
	fs.Var(&facilities, "facility", "a registrar's `facility` (repeat, or separate with commas)")
	fs.Var(&nationalities, "nationality", "a consular officer's `nationality` (ISO 3166-1 alpha-2; repeat, or separate with commas)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	noPassword := fs.Bool("no-password", false, "a machine user: no password, signs in with API tokens only")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch {
	case *name == "":
		fmt.Fprintln(m.Stderr, "custody user add: --name is required")
		return errUsage
	case *role == "":
		fmt.Fprintf(m.Stderr, "custody user add: --role is required (one of %s)\n", roleNames())
		return errUsage
	case *fromStdin && *noPassword:
		fmt.Fprintln(m.Stderr, "custody user add: --password-stdin and --no-password exclude each other")
		return errUsage
	}
	r, err := custody.ParseRole(*role)
	if err != nil {
		return fmt.Errorf("--role: %w", err)
	}
	u := custody.User{Name: *name, Role: r, Authority: custody.AuthorityID(*authority)}
	for _, f := range facilities {
		u.Facilities = append(u.Facilities, custody.FacilityID(f))
	}
	for _, n := range nationalities {
		u.Nationalities = append(u.Nationalities, strings.ToUpper(n))
	}
	// The user is checked before the store is opened or a password read:
	// a mistake costs nothing.
	if err := u.Validate(); err != nil {
		return err
	}
	s, err := m.openUsers(ctx, *db, *key)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := checkUserRefs(ctx, s, &u); err != nil {
		return err
	}
	if _, _, err := s.User(ctx, u.Name); err == nil {
		return fmt.Errorf("--name %s: the user already exists (custody user password %s sets a new password)", u.Name, u.Name)
	} else if custody.ErrorCode(err) != custody.NotFound {
		return err
	}
	var pw, hash string
	var generated bool
	if !*noPassword {
		if pw, hash, generated, err = m.newPassword(*fromStdin); err != nil {
			return err
		}
	}
	if err := s.AddUser(ctx, u, hash); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "added %s: %s, %s\n", u.Name, u.Role, scopeText(&u))
	switch {
	case *noPassword:
		fmt.Fprintf(m.Stdout, "no password: %s signs in with API tokens only (custody user token %s)\n", u.Name, u.Name)
	case generated:
		fmt.Fprintf(m.Stdout, "password: %s\n", pw)
		fmt.Fprintln(m.Stdout, "(shown once: only its hash is kept)")
	}
	return nil
}

// scopeText says, in a few words, what of the register u may read.
func scopeText(u *custody.User) string {
	a := string(u.Authority)
	switch u.Role {
	case custody.RoleAdmin:
		return "users and reference data" + forAuthority(a)
	case custody.RoleRegistrar:
		return "facilities " + joinIDs(u.Facilities) + forAuthority(a)
	case custody.RolePlanner:
		return "all persons; plans moves" + forAuthority(a)
	case custody.RoleEscort:
		return "moves escorted by " + a
	case custody.RoleReceiver:
		return "persons held by or moving to " + a
	case custody.RoleJudicial:
		return "persons held by " + a
	case custody.RoleConsular:
		return "nationals of " + strings.Join(u.Nationalities, ", ") + forAuthority(a)
	case custody.RoleMonitor:
		return "everything, read only, and the audit trail" + forAuthority(a)
	case custody.RoleFamilyDesk:
		return "no records: answers families" + forAuthority(a)
	}
	return "none"
}

func forAuthority(a string) string {
	if a == "" {
		return ""
	}
	return " (for " + a + ")"
}

func (m *Main) runUserList(ctx context.Context, args []string) error {
	fs := m.flags("user list")
	db := m.dbFlag(fs)
	m.keyFlag(fs) // accepted like the other user commands; not needed to read
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := sqlstore.OpenReadOnly(ctx, sqlstore.Config{DB: *db})
	if err != nil {
		return err
	}
	defer s.Close()
	users, err := s.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintf(m.Stdout, "no users yet: add one with custody user add --db %s --name NAME --role ROLE\n", *db)
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tAUTHORITY\tSCOPE\tDISABLED\tPASSWORD\tTOKENS\tCREATED")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", u.Name, u.Role, orDash(string(u.Authority)), scopeShort(&u.User),
			yesNo(u.Disabled), yesNo(u.HasPassword), u.Tokens, u.CreatedAt.UTC().Format(time.DateTime))
	}
	return tw.Flush()
}

// scopeShort is scopeText for a table, beside the authority column.
func scopeShort(u *custody.User) string {
	switch u.Role {
	case custody.RoleRegistrar:
		return joinIDs(u.Facilities)
	case custody.RoleConsular:
		return strings.Join(u.Nationalities, ",")
	case custody.RolePlanner, custody.RoleMonitor:
		return "all persons"
	case custody.RoleEscort:
		return "its moves"
	case custody.RoleReceiver:
		return "held by or moving to it"
	case custody.RoleJudicial:
		return "held by it"
	}
	return "no persons"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (m *Main) runUserDisable(ctx context.Context, args []string) error {
	return m.setDisabled(ctx, "disable", args, true)
}

func (m *Main) runUserEnable(ctx context.Context, args []string) error {
	return m.setDisabled(ctx, "enable", args, false)
}

func (m *Main) setDisabled(ctx context.Context, cmd string, args []string, disabled bool) error {
	fs := m.flags("user " + cmd)
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	s, err := m.openUsers(ctx, *db, *key)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetUserDisabled(ctx, name, disabled); err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(m.Stdout, "disabled %s: their sessions have ended and their API tokens are refused until custody user enable %s\n", name, name)
	} else {
		fmt.Fprintf(m.Stdout, "enabled %s: they can sign in again, and their API tokens work again\n", name)
	}
	return nil
}

func (m *Main) runUserPassword(ctx context.Context, args []string) error {
	fs := m.flags("user password")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	s, err := m.openUsers(ctx, *db, *key)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, _, err := s.User(ctx, name); err != nil {
		return err
	}
	pw, hash, generated, err := m.newPassword(*fromStdin)
	if err != nil {
		return err
	}
	if err := s.SetPassword(ctx, name, hash); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "new password set for %s; their sessions have ended\n", name)
	if generated {
		fmt.Fprintf(m.Stdout, "password: %s\n", pw)
		fmt.Fprintln(m.Stdout, "(shown once: only its hash is kept)")
	}
	return nil
}

func (m *Main) runUserToken(ctx context.Context, args []string) error {
	fs := m.flags("user token")
	db := m.dbFlag(fs)
	key := m.keyFlag(fs)
	label := fs.String("label", "", "what the token is for (e.g. the machine that uses it)")
	revoke := fs.Bool("revoke", false, "revoke every API token of the user instead")
	name, err := parseNamed(fs, args)
	if err != nil {
		return err
	}
	if *revoke && *label != "" {
		fmt.Fprintln(m.Stderr, "custody user token: --revoke revokes all the user's tokens: it takes no --label")
		return errUsage
	}
	s, err := m.openUsers(ctx, *db, *key)
	if err != nil {
		return err
	}
	defer s.Close()
	u, _, err := s.User(ctx, name)
	if err != nil {
		return err
	}
	if *revoke {
		n, err := s.RevokeAPITokens(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "revoked %d API token(s) of %s\n", n, name)
		return nil
	}
	tok, err := s.NewAPIToken(ctx, name, *label)
	if err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, tok)
	fmt.Fprintf(m.Stderr, "API token for %s, shown once (send it as \"Authorization: Bearer <token>\")\n", name)
	if u.Disabled {
		fmt.Fprintf(m.Stderr, "note: %s is disabled: the token works once they are enabled again\n", name)
	}
	return nil
}
