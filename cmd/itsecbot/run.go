package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/itsecbot/itsecbot/config"
	"github.com/itsecbot/itsecbot/store"
)

// usageError is a wrong command line; it exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

const usage = `usage: itsecbot <command> [flags]

commands:
  run     the daemon: poll and post on the configured schedule until stopped
  once    run one full cycle: poll, store, filter, compose, deliver (for cron)
  check   validate the config file (-online: also fetch each feed and test each poster's credentials)
  health  exit 1 with the reasons when the bot is not working (for monitoring)
  items   list stored items, newest first
  feeds   show each feed's health
  explain show why a story (KEY, URL or CVE) was or was not posted, with its score
  outbox  show queued and failed posts per poster
  retry   put a failed post back in the queue
  preview show each poster's next posts as they would be sent now, sending nothing
  serve   serve the status page, the curated feeds, /healthz and /metrics (read-only)
  catchup mark every pending story as seen for every poster, posting nothing
  version print the version and the build's revision

Run 'itsecbot <command> -h' for a command's flags.
The config file is -config, else $ITSECBOT_CONFIG, else ./config.yaml.
`

// run is the whole program behind main, testable with its own streams;
// it receives no signals.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return runWith(ctx, signals{stop: context.Background()}, args, stdout, stderr)
}

// runWith is run with the process's signals.
func runWith(ctx context.Context, sig signals, args []string, stdout, stderr io.Writer) error {
	if err := dispatch(ctx, sig, args, stdout, stderr); err != nil && !errors.Is(err, errHelp) {
		return err
	}
	return nil
}

func dispatch(ctx context.Context, sig signals, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return runDaemon(ctx, sig, rest, stdout, stderr)
	case "once":
		return runOnce(ctx, sig, rest, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, stdout, stderr)
	case "health":
		return runHealth(ctx, rest, stdout, stderr)
	case "outbox":
		return runOutbox(ctx, rest, stdout, stderr)
	case "retry":
		return runRetry(ctx, rest, stdout, stderr)
	case "explain":
		return runExplain(ctx, rest, stdout, stderr, time.Now)
	case "catchup":
		return runCatchUp(ctx, rest, stdout, stderr)
	case "items":
		return runItems(ctx, rest, stdout, stderr)
	case "feeds":
		return runFeeds(ctx, rest, stdout, stderr)
	case "preview":
		return runPreview(ctx, rest, stdout, stderr, time.Now)
	case "serve":
		return runServe(sig.stop, rest, stderr)
	case "version", "-version", "--version":
		_, err := fmt.Fprintln(stdout, versionLine())
		return err
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return &usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// newFlags returns a flag set for cmd that reports errors instead of exiting.
func newFlags(cmd string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("itsecbot "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "config file (default $ITSECBOT_CONFIG, else ./config.yaml)")
	return fs, path
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	return nil
}

// flagError turns a flag parsing error into errHelp or a usage error.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	return &usageError{err.Error()}
}

// errHelp ends a command after -h without an error status.
var errHelp = errors.New("help requested")

// logFormatFlag adds -log-format, which overrides log.format.
func logFormatFlag(fs *flag.FlagSet) *string {
	return fs.String("log-format", "", "text or json (default: log.format in the config)")
}

// loadLogged loads the config and applies a -log-format override.
func loadLogged(flagPath, logFormat string) (*config.Config, error) {
	switch logFormat {
	case "", "text", "json":
	default:
		return nil, &usageError{fmt.Sprintf("-log-format must be text or json, not %q", logFormat)}
	}
	cfg, err := loadConfig(flagPath)
	if err != nil {
		return nil, err
	}
	if logFormat != "" {
		cfg.Log.Format = logFormat
	}
	return cfg, nil
}

// loadConfig resolves the path and loads the config.
func loadConfig(flagPath string) (*config.Config, error) {
	return config.Load(config.Resolve(flagPath, os.LookupEnv), os.LookupEnv, platforms())
}

// openForReading loads the config and opens its database read-only for the
// commands that only look: they never migrate it or change its files
// (a newer daemon's or an older one's database alike), and they do not
// leave an empty database behind where none was.
func openForReading(ctx context.Context, flagPath string) (*config.Config, *store.Store, error) {
	cfg, err := loadConfig(flagPath)
	if err != nil {
		return nil, nil, err
	}
	path, err := existingDatabase(cfg)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// openToChange opens, under the run lock, the existing database of the
// config for a command that changes it (retry, catchup); unlock releases
// the lock.
func openToChange(ctx context.Context, cfg *config.Config) (st *store.Store, unlock func(), err error) {
	path, err := existingDatabase(cfg)
	if err != nil {
		return nil, nil, err
	}
	if unlock, err = lockDatabase(path); err != nil {
		return nil, nil, err
	}
	if st, err = store.Open(ctx, path); err != nil {
		unlock()
		return nil, nil, err
	}
	return st, unlock, nil
}

func existingDatabase(cfg *config.Config) (string, error) {
	path := cfg.DatabasePath()
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("no database at %s yet: run 'itsecbot once' first (%w)", path, err)
	}
	return path, nil
}
