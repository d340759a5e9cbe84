# Shared by scripts/up and scripts/test: make .venv in the repo root and install a requirements file.
# Re-installs only when the requirements file changed since the last install.
set -euo pipefail
ensure_venv() {
  local requirements=$1
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
  fi
  local stamp=".venv/.installed-$(basename "$requirements")"
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    .venv/bin/pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages the test suite needs: chromium for browser journeys.
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Test-only front-end tools from npm (axe-core for accessibility checks), pinned in package-lock.json.
ensure_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    command -v npm >/dev/null 2>&1 || ensure_debian_packages nodejs npm
    npm ci --no-audit --no-fund --silent
  fi
}

# Everything the test suite needs besides .venv: chromium for browser journeys, fonts and Pango for
# PDFs, poppler to read them back, axe-core from npm.
ensure_test_tools() {
  ensure_venv requirements-dev.txt
  ensure_debian_packages chromium fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
  ensure_node_modules
}
