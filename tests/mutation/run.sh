#!/usr/bin/env bash
# Mutation check (not part of `dotnet test`): applies each mutant of tests/mutation/mutants.py, one at a time, to a
# copy of the repository, runs the test suite there, and reports each mutant killed (some test failed) or survived
# (every test passed: the suite cannot see that bug). The working tree is never modified.
#
#   bash tests/mutation/run.sh                 # every mutant, the whole suite (dotnet test), about 4 minutes each
#   bash tests/mutation/run.sh ftz-off         # some mutants
#   SUITE_FILTER="--filter-namespace LaxScan.Tests.Numerics" bash tests/mutation/run.sh tanh-coefficient
#
# First the unmutated copy must pass (else a failure would be credited to a mutant). Exit 0 when every mutant is
# killed, 1 when one survives, 3 when a mutant's pattern is gone from the code (update mutants.py).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  mapfile -t names < <(python3 "$here/mutants.py" list | cut -f1)
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/laxscan-mutation.XXXXXX")"
trap 'rm -rf "$work"' EXIT
copy="$work/repo"
mkdir -p "$copy"
# Tracked and new (not ignored) files only: no build outputs, so the copy builds from scratch once.
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} cp --parents {} "$copy")
pristine="$work/pristine"
cp -r "$copy/src" "$pristine"

run_suite() {  # $1: log file. Returns the test command's exit code.
  (cd "$copy" && dotnet build -c Debug >"$1.build" 2>&1) || { cat "$1.build" >"$1"; return 99; }
  # shellcheck disable=SC2086
  (cd "$copy" && dotnet test --no-build ${SUITE_FILTER:+-- $SUITE_FILTER}) >"$1" 2>&1
}

echo "mutation: baseline (no mutant) ..."
if ! run_suite "$work/baseline.log"; then
  echo "mutation: the unmutated suite fails; fix that first:" >&2
  grep -E '^failed |error' "$work/baseline.log" | head -20 >&2
  exit 1
fi

killed=0
survived=()
for name in "${names[@]}"; do
  rm -rf "$copy/src" && cp -r "$pristine" "$copy/src"
  python3 "$here/mutants.py" apply "$name" "$copy" || exit 3
  log="$work/$name.log"
  run_suite "$log"
  code=$?
  if [ $code -eq 99 ]; then
    echo "mutation: $name does not build; fix the mutant:" >&2
    grep -E ' error ' "$log" | head -5 >&2
    exit 3
  elif [ $code -ne 0 ]; then
    killed=$((killed + 1))
    n=$(grep -c '^failed ' "$log")
    echo "mutation: $name KILLED by $n failing tests, such as:"
    grep '^failed ' "$log" | head -3 | sed 's/^/    /'
  else
    survived+=("$name")
    echo "mutation: $name SURVIVED: every test passed"
  fi
done
echo "mutation: $killed/${#names[@]} mutants killed${survived[*]:+; survived: ${survived[*]}}"
[ ${#survived[@]} -eq 0 ]
