// Package web holds the dashboard's build, embedded in the API binary.
//
// The React app in this folder builds (npm run build, or make web) into
// web/dist/app/ (or, equally, into web/dist/ itself). web/dist/README is
// committed so that dist/ always exists: go build and go test work on a
// machine without Node, and the API then serves a page saying how to build
// the UI.
package web

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// UI is the built dashboard (index.html at its root, hashed assets under
// assets/), or nil when it has not been built.
func UI() fs.FS {
	for _, dir := range []string{"dist/app", "dist"} {
		if _, err := fs.Stat(dist, dir+"/index.html"); err == nil {
			sub, err := fs.Sub(dist, dir)
			if err == nil {
				return sub
			}
		}
	}
	return nil
}
