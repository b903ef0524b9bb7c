// Command custody runs a chain-of-custody log for a mass transfer of
// detainees: it creates and serves the database, loads the demo operation,
// verifies the log and prints the operation's figures.
//
// Usage: custody <command> [flags]; `custody help` lists the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/opencustody/custody/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program, with its environment injected so that tests can
// run commands (and boot the server on a random port) in-process.
type Main struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader // nil: os.Stdin
	Getenv         func(string) string
	// Ready, if set, receives the server's address once it listens.
	Ready func(addr string)
}

// command is one subcommand.
type command struct {
	name, usage, help string
	run               func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"init", "init [--db DB] [--key FILE]", "create a database and its signing key; print the verifier key", (*Main).runInit},
		{"demo", "demo [--db DB] [--key FILE] [--seed N] [--load-only] [--addr HOST:PORT] [--tls-cert FILE --tls-key FILE] [--site S] [--family-release FIELDS]", "generate the demo operation into a new database, with a user of each role, and serve it", (*Main).runDemo},
		{"serve", "serve [--db DB] [--key FILE] [--addr HOST:PORT] [--tls-cert FILE --tls-key FILE] [--site S] [--family-release FIELDS]", "serve a database: the web UI, the JSON API and the log's checkpoints (HTTPS with --tls-cert)", (*Main).runServe},
		{"user", "user add|list|disable|enable|password|token [--db DB] [--key FILE] ...; custody user help", "manage the users who sign in: roles, scopes, passwords and API tokens", (*Main).runUser},
		{"verify", "verify [--db PATH] [--verifier-key KEY]", "check every event, hash, checkpoint and projection against the log", (*Main).runVerify},
		{"stats", "stats [--db PATH] [--json]", "print persons by facility, authority, category and nationality, and the transfer progress", (*Main).runStats},
		{"sitrep", "sitrep [--db DB] [--day YYYY-MM-DD] --out FILE.pdf", "print the daily situation report: transfer progress by day, persons, facilities, escapes, alerts, the latest checkpoint", (*Main).runSitrep},
		{"plan", "plan [--db DB] --resources FILE [--from F,...] [--category C,...] [--tier T,...] [--limit N] [--out FILE] | --check FILE; [--submit --allocation A --escort AUTH --user U --authority AUTH]", "assign persons held now to the vehicles of planned moves, or check a plan file", (*Main).runPlan},
		{"record", "record [--db DB] [--key FILE] --user U --authority AUTH [--site S] [--in FILE.jsonl]", "record events (a move's boarding, counts, handovers…) from JSON Lines, all or none", (*Main).runRecord},
		{"moves", "moves [--db DB] [--status STAGE] [--move ID]", "list the moves with their counts, or show one move's manifest balance, counts and handovers", (*Main).runMoves},
		{"alerts", "alerts [--db DB] [--all] [--json]", "list open discrepancy alerts and persons missing from custody", (*Main).runAlerts},
		{"manifest", "manifest [--db DB] --move ID [--vehicle V] --out FILE.pdf", "print a move's manifest (one per vehicle) with QR codes", (*Main).runManifest},
		{"receipt", "receipt [--db DB] (--event SEQ | --move ID [--stage S]) --out FILE.pdf", "print a handover receipt whose QR code proves it offline", (*Main).runReceipt},
		{"bundle", "bundle [--db DB] --person ID [--user NAME] --out FILE", "export a person's proof bundle: their events, inclusion proofs, the signed checkpoint and the verifier key", (*Main).runBundle},
		{"verify-bundle", "verify-bundle [--verifier-key KEY] --in FILE", "check a proof bundle offline, with no database; any changed byte fails, naming the entry", (*Main).runVerifyBundle},
		{"verify-receipt", "verify-receipt --verifier-key KEY [--in FILE]", "check a receipt's QR text offline against the published verifier key", (*Main).runVerifyReceipt},
		{"wristbands", "wristbands [--db DB] (--facility F | --move ID) [--limit N] --out FILE.pdf", "print wristband labels with QR codes", (*Main).runWristbands},
		{"bench", "bench [--entries N] [--postgres URL] | bench http [--db DB] [--clients N] [--duration D] [--persons N]", "run the ledger benchmarks on a fresh temporary database, or load the web server with \"where is this person\" requests", (*Main).runBench},
		{"names", "names eval --gallery G.tsv --queries Q.tsv [--top K] [--truth T.tsv] --out R.tsv", "index a gallery of names, run the queries, write the ranked matches; print latency, memory and, with --truth, recall", (*Main).runNames},
		{"migrate", "migrate [--db PATH]", "apply the schema migrations; print the schema version before and after", (*Main).runMigrate},
		{"copy", "copy --from DB --to DB [--key FILE]", "copy a whole log to a new store (e.g. SQLite to PostgreSQL): same tree, key", (*Main).runCopy},
		{"backup", "backup [--db PATH] --out FILE", "write an online, consistent backup of an SQLite database (key not included)", (*Main).runBackup},
		{"restore", "restore --from FILE [--db PATH] [--key FILE]", "put an SQLite backup in place as a new database and verify it", (*Main).runRestore},
		{"import", "import [--db DB] [--key FILE] --facility F --user U --authority A [--format csv|xlsx] [--map FILE.json] [--dry-run] [--allow-duplicates] FILE", "register and admit a facility roster (CSV or XLSX), all rows or none; --dry-run lists every bad row", (*Main).runImport},
		{"export", "export [--db DB] --what persons|moves --format csv|xlsx|jsonl|hxl [--user NAME] --out FILE", "export persons or moves, in a user's scope with --user", (*Main).runExport},
	}
}

// exitMismatch is the exit status when verify finds damage.
const exitMismatch = 2

// Run runs the command in args and returns the exit status.
func (m *Main) Run(ctx context.Context, args []string) int {
	if m.Getenv == nil {
		m.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		m.usage(m.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(m, ctx, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		fmt.Fprintf(m.Stderr, "custody %s: %v\n", c.name, err)
		var mm *sqlstore.Mismatch
		var pv *planViolations
		var ri *receiptInvalid
		var bi *bundleInvalid
		if errors.As(err, &mm) || errors.As(err, &pv) || errors.As(err, &ri) || errors.As(err, &bi) {
			return exitMismatch
		}
		return 1
	}
	fmt.Fprintf(m.Stderr, "custody: unknown command %q\n\n", args[0])
	m.usage(m.Stderr)
	return 2
}

var errUsage = errors.New("usage")

func (m *Main) usage(w io.Writer) {
	fmt.Fprintln(w, "custody keeps the chain of custody of persons held, as a signed, verifiable log.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  custody %-62s %s\n", c.usage, c.help)
	}
	fmt.Fprintln(w, "\nThe database is ./custody.db unless --db or the environment variable CUSTODY_DB says otherwise;")
	fmt.Fprintln(w, "a postgres:// URL selects PostgreSQL. The signing key is PATH.key beside an SQLite database,")
	fmt.Fprintln(w, "./custody.key for PostgreSQL, unless --key or CUSTODY_KEY says otherwise.")
}

// flags returns a flag set for a subcommand that reports errors to Stderr.
func (m *Main) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("custody "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	return fs
}

// parse parses args, turning a flag error into errUsage (already printed).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// dbFlag adds --db with its default: CUSTODY_DB, else ./custody.db.
func (m *Main) dbFlag(fs *flag.FlagSet) *string {
	def := m.Getenv("CUSTODY_DB")
	if def == "" {
		def = "custody.db"
	}
	return fs.String("db", def, "database `path` (default from CUSTODY_DB, else ./custody.db)")
}

// keyFlag adds --key: the signing key file (default from CUSTODY_KEY, else
// beside an SQLite database, else ./custody.key for PostgreSQL).
func (m *Main) keyFlag(fs *flag.FlagSet) *string {
	return fs.String("key", m.Getenv("CUSTODY_KEY"), "signing key `file` (default from CUSTODY_KEY, else PATH.key beside an SQLite database, else ./custody.key)")
}

func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
