//go:build tools

// Package tools pins SeaweedFS's weed command, which this wrapper builds, so that go mod tidy keeps
// exactly its dependencies in go.sum.
package tools

import (
	_ "github.com/seaweedfs/seaweedfs/weed"
)
