"""Build hook: generates the protobuf and gRPC modules from the repository's proto/ before packaging.

The generated modules (``gleaner/v1/analyzer_pb2*.py``) are never committed; they are rebuilt from the
single source of truth, ``proto/gleaner/v1/analyzer.proto``, every time the package is built.
``google.rpc.Status`` comes from googleapis-common-protos, so only the gleaner proto is compiled.
"""

import os
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
PROTO_ROOT = Path(os.environ.get("GLEANER_PROTO_ROOT", HERE.parent.parent / "proto"))
OUT = HERE / "src"


def generate() -> None:
    """Runs the protoc bundled with grpcio-tools over proto/gleaner/**/*.proto."""
    import grpc_tools
    from grpc_tools import protoc

    sources = sorted(str(p.relative_to(PROTO_ROOT)) for p in (PROTO_ROOT / "gleaner").rglob("*.proto"))
    if not sources:
        raise RuntimeError(f"no .proto files under {PROTO_ROOT / 'gleaner'}")
    well_known = Path(grpc_tools.__file__).parent / "_proto"
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"-I{well_known}",
        f"--python_out={OUT}",
        f"--pyi_out={OUT}",
        f"--grpc_python_out={OUT}",
        *sources,
    ]
    if protoc.main(args) != 0:
        raise RuntimeError("protoc failed on " + " ".join(sources))
    # Every generated directory becomes a regular package.
    for directory in {(OUT / s).parent for s in sources}:
        (directory / "__init__.py").touch()


# Generated before setuptools looks for the `gleaner.v1` package (egg_info, sdist, wheel, editable).
generate()
setup()
