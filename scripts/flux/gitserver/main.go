// Command gitserver serves the bare Git repositories under -root over smart
// HTTP with Flux's own test Git server (github.com/fluxcd/pkg/gittestserver,
// which source-controller's tests use), so a GitRepository fetches from it
// exactly as from a real forge. Built by scripts/flux/build.sh; started and
// stopped by packages/kube-testbed (src/flux/gitServer.ts).
//
//	gitserver -root DIR -httptest.serve=127.0.0.1:PORT
//
// -httptest.serve is net/http/httptest's own flag: the server listens on that
// address (so a restart keeps the URL) and serves until the process ends.
// With GITSERVER_USERNAME and GITSERVER_PASSWORD set, every request needs
// those basic-auth credentials (gittestserver's Auth); the testbed switches
// auth by restarting the process with other credentials.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/fluxcd/pkg/gittestserver"
)

func main() {
	root := flag.String("root", "", "folder holding the bare repositories (<name>.git)")
	flag.Parse()
	if *root == "" || !servesOnFixedAddress() {
		fmt.Fprintln(os.Stderr, "usage: gitserver -root DIR -httptest.serve=127.0.0.1:PORT")
		os.Exit(2)
	}
	server := gittestserver.NewGitServer(*root)
	username, password := os.Getenv("GITSERVER_USERNAME"), os.Getenv("GITSERVER_PASSWORD")
	if username != "" || password != "" {
		server.Auth(username, password)
	}
	// With -httptest.serve this listens on the given address and blocks.
	if err := server.StartHTTP(); err != nil {
		fmt.Fprintf(os.Stderr, "gitserver: %v\n", err)
		os.Exit(1)
	}
}

func servesOnFixedAddress() bool {
	for _, arg := range os.Args[1:] {
		if strings.HasPrefix(strings.TrimLeft(arg, "-"), "httptest.serve=") {
			return true
		}
	}
	return false
}
