package main

import (
	"runtime/debug"
	"strings"
)

// versionLine describes this build: the module version, and the VCS
// revision, time and state that `go build` stamps when it builds from a
// clone.
func versionLine() string {
	info, ok := debug.ReadBuildInfo()
	return describeBuild(info, ok)
}

// shortVersion is the version for the User-Agent: the module version, or
// "dev" for a build from a clone.
func shortVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok || info.Main.Version == "" || info.Main.Version == "(devel)" {
		return "dev"
	}
	return info.Main.Version
}

func describeBuild(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "itsecbot (no build information)"
	}
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var vcs []string
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if r := settings["vcs.revision"]; r != "" {
		vcs = append(vcs, "revision "+r)
	}
	if t := settings["vcs.time"]; t != "" {
		vcs = append(vcs, t)
	}
	if settings["vcs.modified"] == "true" {
		vcs = append(vcs, "modified")
	}
	line := "itsecbot " + version
	if len(vcs) > 0 {
		line += " (" + strings.Join(vcs, ", ") + ")"
	}
	if info.GoVersion != "" {
		line += " " + info.GoVersion
	}
	return line
}
