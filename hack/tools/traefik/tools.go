//go:build tools

// Package tools pins Traefik's command, which this wrapper builds, so that go mod tidy keeps
// exactly its dependencies in go.sum.
package tools

import (
	_ "github.com/traefik/traefik/v3/cmd/traefik"
)
