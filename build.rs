//! Compiles `proto/` into Rust stubs with protox (a pure-Rust protobuf compiler, so no `protoc` is
//! needed) and tonic-prost-build, adds proto3 JSON (serde) support with pbjson-build for the CLI's JSON
//! output, and writes the file descriptor set served by gRPC reflection. No network access.

use std::path::PathBuf;

use prost::Message as _;

const PROTOS: &[&str] = &["proto/gleaner/v1/analyzer.proto"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);

    let fds = protox::compile(PROTOS, ["proto"])?;
    let descriptor = fds.encode_to_vec();
    std::fs::write(out_dir.join("gleaner_descriptor.bin"), &descriptor)?;

    tonic_prost_build::configure()
        .compile_well_known_types(true)
        .extern_path(".google.protobuf", "::pbjson_types")
        .compile_fds(fds)?;

    pbjson_build::Builder::new()
        .register_descriptors(&descriptor)?
        .build(&[".gleaner.v1", ".google.rpc"])?;
    Ok(())
}
