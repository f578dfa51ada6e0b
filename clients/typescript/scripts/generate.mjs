// Generates src/gen/ from the repository's proto/ (never committed): the gleaner service and its imports,
// plus google/rpc/error_details.proto (google.rpc.BadRequest) from the google-proto-files package.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(here, "../..");
const buf = join(here, "node_modules", ".bin", "buf");
const template = relative(repo, join(here, "buf.gen.yaml"));
const googleProtos = relative(repo, join(here, "node_modules", "google-proto-files"));

rmSync(join(here, "src", "gen"), { recursive: true, force: true });
const run = (...args) => execFileSync(buf, ["generate", "--template", template, ...args], { cwd: repo, stdio: "inherit" });
run("--path", "proto/gleaner");
run(googleProtos, "--path", join(googleProtos, "google/rpc/error_details.proto"));
