// Package kmstarget resolves the KMS endpoint a test runs against and hands
// back a ready aws-sdk-go-v2 *kms.Client for it, so that the same specs run
// unchanged against kmsconform's fake and against its peers.
//
// Four kinds of target exist (Kind):
//
//   - fake: kmsfake.New served by an httptest server on 127.0.0.1, in the
//     test process itself (the default).
//   - fake-process: `kmsconform kms serve --listen 127.0.0.1:0` as a child
//     process; the binary is given (Options.Binary, $KMSCONFORM_BIN) or built
//     from the module with `go build`.
//   - moto: `python3 -m moto.server` started on a free loopback port and
//     killed on Close.
//   - external: any endpoint (LocalStack, real AWS) from
//     $KMSCONFORM_KMS_ENDPOINT (empty: the SDK's own resolution, i.e. real
//     AWS) with the standard AWS credential chain and $AWS_REGION.
//
// Choose with $KMSCONFORM_KMS_TARGET (see FromEnv); a comma-separated list
// names several targets. Every child process is started in its own process
// group with a start-up timeout and is killed by Target.Close.
package kmstarget
