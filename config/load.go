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
	"strings"
	"unicode/utf8"
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

// Parse decodes and validates src as if read from path; platforms names
// the poster types the config may use. It returns every problem it finds
// together, as Errors in file order: unknown keys, values of the wrong
// type and invalid values at once. A syntax error is reported alone, since
// after one the rest of the file has no reliable meaning.
func Parse(path string, src []byte, env Lookup, platforms Platforms) (*Config, error) {
	// Some editors start UTF-8 files with a byte order mark; it is not
	// part of the first key, and it sits before line 1, column 1.
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if e := encodingError(path, src); e != nil {
		return nil, Errors{e}
	}
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	cfg := Default()
	d := decodeFile(path, src, lines, cfg)
	if !d.complete {
		return nil, sortErrors(d.errs)
	}
	cfg.Path = path
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("resolve config folder: %w", err)
	}
	cfg.Dir = abs
	v := validator{file: path, loc: locator{doc: d.doc}, env: env}
	v.config(cfg, platforms)
	errs := d.errs
	for _, e := range v.errs {
		if !covered(e.Key, d.taken) {
			e.Col = v.loc.column(e.Key, e.Line)
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return nil, sortErrors(errs)
	}
	return cfg, nil
}

// covered reports whether key is at or below one of taken.
func covered(key string, taken []string) bool {
	for _, t := range taken {
		if key == t || strings.HasPrefix(key, t+".") || strings.HasPrefix(key, t+"[") {
			return true
		}
	}
	return false
}

func sortErrors(es Errors) Errors {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Col < es[j].Col
	})
	return es
}

// encodingError rejects text that is not UTF-8. The YAML parser would
// read a Shift_JIS file without complaint, and its Japanese keywords
// would silently never match.
func encodingError(file string, src []byte) *Error {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		return &Error{File: file, Line: 1, Col: 1, Msg: "the file is UTF-16 text: save it as UTF-8"}
	}
	if utf8.Valid(src) {
		return nil
	}
	line, col := 1, 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size == 1 {
			break
		}
		col++
		if r == '\n' {
			line, col = line+1, 1
		}
		src = src[size:]
	}
	return &Error{File: file, Line: line, Col: col, Msg: fmt.Sprintf("byte 0x%02X is not UTF-8 text (is the file Shift_JIS or EUC-JP?): save the file as UTF-8", src[0])}
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
