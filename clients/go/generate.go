package gleaner

// The gleanerv1 package is generated from proto/ (never committed): run `go generate` before building.
// It needs protoc-gen-go and protoc-gen-go-grpc on PATH (`go install`, see README.md) and Node's npx for buf.
//go:generate sh -c "cd ../.. && npx --yes @bufbuild/buf@1.75.0 generate --template clients/go/buf.gen.yaml --path proto/gleaner"
