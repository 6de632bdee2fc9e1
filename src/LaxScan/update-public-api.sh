#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt beside this script from the RS0016 diagnostics of a build ("Symbol '...' is not
# part of the declared public API"): every public symbol that PublicAPI.Shipped.txt does not list, in the analyzer's
# own notation. Run it after a deliberate change to the public API (or after merging branches that made one), review
# `git diff src/LaxScan/PublicAPI.Unshipped.txt`, commit. Removing a symbol that PublicAPI.Shipped.txt lists is a
# breaking change: the build then reports RS0017, which this script does not hide; edit the shipped file by hand.
#   bash src/LaxScan/update-public-api.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
unshipped="$here/PublicAPI.Unshipped.txt"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

printf '#nullable enable\n' > "$unshipped"
# --no-incremental: the compiler (and so the analyzer) must run even when nothing changed since the last build.
if ! dotnet build "$here/LaxScan.csproj" --no-incremental -p:TreatWarningsAsErrors=false > "$log" 2>&1; then
    cat "$log" >&2
    echo "error: the build failed for another reason than the API files; fix it first" >&2
    exit 1
fi

{
    printf '#nullable enable\n'
    grep -oE "RS0016: Symbol '.*' is not part of the declared public API" "$log" \
        | sed -E "s/^RS0016: Symbol '(.*)' is not part of the declared public API$/\1/" \
        | LC_ALL=C sort -u
} > "$unshipped"

# The files must now describe the API exactly: a normal build (warnings as errors) passes.
if ! dotnet build "$here/LaxScan.csproj" --no-incremental > "$log" 2>&1; then
    grep -E "error" "$log" | sort -u >&2 || cat "$log" >&2
    echo "error: the regenerated $unshipped does not satisfy the analyzer" >&2
    exit 1
fi
echo "$(($(wc -l < "$unshipped") - 1)) public symbols in $unshipped"
