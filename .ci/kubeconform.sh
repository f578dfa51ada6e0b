#!/usr/bin/env bash
# Validates deploy/kubernetes against the Kubernetes JSON schemas shipped in the PyPI package
# kubernetes-validate (Apache-2.0), with kubeconform from the Go module proxy. No schema download.
set -euo pipefail
cd "$(dirname "$0")/.."
K8S_VERSION="${K8S_VERSION:-1.33.0}"
tools="${GLEANER_TOOLS:-$HOME/.cache/gleaner-tools}"
mkdir -p "$tools"
if ! command -v kubeconform >/dev/null 2>&1 && [ ! -x "$(go env GOPATH)/bin/kubeconform" ]; then
  go install github.com/yannh/kubeconform/cmd/kubeconform@v0.7.0
fi
KUBECONFORM="$(command -v kubeconform || echo "$(go env GOPATH)/bin/kubeconform")"
if [ ! -d "$tools/kv" ]; then
  python3 -m venv "$tools/kv"
  "$tools/kv/bin/pip" install --quiet "kubernetes-validate==1.33.*"
fi
schemas="$("$tools/kv/bin/python" -c 'import kubernetes_validate, os; print(os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema"))')"
# The package's schemas share one "/api/_definitions.json" that its own loader maps; make each schema
# standalone so that kubeconform can load it from disk.
local_schemas="$tools/schemas-v${K8S_VERSION}-standalone"
if [ ! -f "$local_schemas/poddisruptionbudget-policy-v1.json" ]; then
  "$tools/kv/bin/python" tools/k8s_standalone_schemas.py "$schemas/v${K8S_VERSION}-local-strict" "$local_schemas" \
    deployment-apps-v1 service-v1 horizontalpodautoscaler-autoscaling-v2 poddisruptionbudget-policy-v1
fi
"$KUBECONFORM" -strict -summary -verbose \
  -schema-location "$local_schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
  -skip Kustomization \
  deploy/kubernetes/
