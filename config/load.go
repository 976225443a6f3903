package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	yaml "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
)

// EnvPath names the environment variable that overrides the default config path.
const EnvPath = "ITSECBOT_CONFIG"

// DefaultPath is the config file used when neither -config nor ITSECBOT_CONFIG is given.
const DefaultPath = "config.yaml"

// Lookup reads an environment variable; os.LookupEnv in production.
type Lookup func(name string) (string, bool)

// Resolve picks the config path: the flag, else ITSECBOT_CONFIG, else ./config.yaml.
func Resolve(flagPath string, env Lookup) string {
	if flagPath != "" {
		return flagPath
	}
	if p, ok := env(EnvPath); ok && p != "" {
		return p
	}
	return DefaultPath
}

// Load reads, decodes and validates the config file at path. Every problem
// found is returned together as Errors.
func Load(path string, env Lookup, platforms Platforms) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		// A missing or unreadable config is a config error (exit 2), not a crash.
		msg := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			msg = pe.Err.Error() // the path is already in the message
		}
		return nil, Errors{{File: path, Msg: "cannot read config: " + msg}}
	}
	return Parse(path, src, env, platforms)
}

// Parse decodes and validates src as if read from path. platforms names
// the poster types the config may use.
func Parse(path string, src []byte, env Lookup, platforms Platforms) (*Config, error) {
	cfg := Default()
	if len(bytes.TrimSpace(src)) > 0 {
		if err := decode(src, cfg); err != nil {
			return nil, Errors{decodeError(path, src, err)}
		}
	}
	cfg.Path = path
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("resolve config folder: %w", err)
	}
	cfg.Dir = abs
	doc, _ := parser.ParseBytes(src, 0) // already decoded once: errors are impossible here
	v := validator{file: path, loc: locator{doc: doc}, env: env}
	v.config(cfg, platforms)
	if len(v.errs) > 0 {
		sort.SliceStable(v.errs, func(i, j int) bool { return v.errs[i].Line < v.errs[j].Line })
		return nil, v.errs
	}
	return cfg, nil
}

// decode unmarshals strictly. The YAML library can panic on some malformed
// tags; that must be a config error, not a crash.
func decode(src []byte, cfg *Config) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot decode YAML: %v", r)
		}
	}()
	return yaml.UnmarshalWithOptions(src, cfg, yaml.Strict())
}

// envRef matches ${NAME}; bare $NAME is left alone so that literal dollars survive.
var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand replaces ${NAME} references and reports the names that were unset or empty.
func expand(s string, env Lookup) (string, []string) {
	var missing []string
	out := envRef.ReplaceAllStringFunc(s, func(ref string) string {
		name := envRef.FindStringSubmatch(ref)[1]
		v, ok := env(name)
		if !ok || v == "" {
			missing = append(missing, name)
		}
		return v
	})
	return out, missing
}
