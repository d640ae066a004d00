//go:build tools

// Package pins keeps the pinned module versions in go.mod while the
// packages that use them are being written. Never built.
package pins

import (
	_ "github.com/aws/aws-sdk-go-v2/aws"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/service/kms"
	_ "github.com/onsi/ginkgo/v2"
	_ "github.com/onsi/ginkgo/v2/ginkgo"
	_ "github.com/onsi/gomega"
	_ "github.com/testcontainers/testcontainers-go"
	_ "go.yaml.in/yaml/v3"
)
