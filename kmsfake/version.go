package kmsfake

import "github.com/kmsconform/kmsconform/internal/buildinfo"

// ServerHeader is the HTTP Server header of every answer, e.g.
// "kmsconform-kmsfake/v1.2.0" or "kmsconform-kmsfake/a5a569c1d2e3-dirty",
// so that a report can name the KMS it ran against. AWS's SDKs and the aws
// CLI ignore it.
var ServerHeader = "kmsconform-kmsfake/" + buildinfo.Short()
