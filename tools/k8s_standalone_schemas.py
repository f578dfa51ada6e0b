#!/usr/bin/env python3
"""Turns the JSON schemas shipped by the PyPI package kubernetes-validate (Apache-2.0) into standalone
schemas that kubeconform can load from disk: every reference into the shared `_definitions.json` becomes a
local `#/definitions/...` reference, with the definitions copied into each schema.

usage: k8s_standalone_schemas.py SOURCE_DIR TARGET_DIR [SCHEMA_NAME ...]
(with names, such as deployment-apps-v1, only those schemas are written)
"""
import json
import os
import sys


def rewrite(node):
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and "#/$defs/" in value:
                out[key] = "#/definitions/" + value.split("#/$defs/", 1)[1]
            else:
                out[key] = rewrite(value)
        return out
    if isinstance(node, list):
        return [rewrite(v) for v in node]
    return node


def main(source, target, only):
    with open(os.path.join(source, "_definitions.json"), encoding="utf-8") as f:
        definitions = rewrite(json.load(f)["$defs"])
    os.makedirs(target, exist_ok=True)
    for name in os.listdir(source):
        if not name.endswith(".json") or name.startswith("_") or name == "all.json":
            continue
        if only and name[: -len(".json")] not in only:
            continue
        with open(os.path.join(source, name), encoding="utf-8") as f:
            schema = rewrite(json.load(f))
        schema.pop("$schema", None)
        schema.pop("$id", None)
        schema["definitions"] = definitions
        with open(os.path.join(target, name), "w", encoding="utf-8") as f:
            json.dump(schema, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], set(sys.argv[3:]))
