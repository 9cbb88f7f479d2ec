#!/bin/sh
# Loads the production choices of one environment (infra/environments/<name>.env) into the current azd environment:
#   infra/scripts/load-environment.sh prod
set -eu
name="${1:?usage: load-environment.sh dev|prod}"
file="$(dirname "$0")/../environments/$name.env"
[ -f "$file" ] || { echo "load-environment: $file does not exist" >&2; exit 1; }
grep -v '^[[:space:]]*#' "$file" | grep '=' | while IFS='=' read -r key value; do
  azd env set "$key" "$value"
done
echo "load-environment: $name choices set in the current azd environment"
