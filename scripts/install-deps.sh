#!/usr/bin/env bash
# Installs the system and Python packages AgriTrace needs, only those that are missing.
# Runs as root on a fresh Debian machine (CI) and is a quick no-op once everything is there.
set -euo pipefail

DEBIAN_PACKAGES=(pkg-config libssl-dev openssl libsqlite3-dev libqrencode-dev zlib1g-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core fonts-droid-fallback fonts-tlwg-loma-ttf zbar-tools qrencode librsvg2-bin poppler-utils valgrind)
PYTHON_PACKAGES=(securesystemslib epcis-event-hash-generator jsonschema)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

for pkg in "${PYTHON_PACKAGES[@]}"; do
    module=${pkg//-/_}
    python3 -c "import $module" 2>/dev/null || { echo "installing PyPI package: $pkg"; python3 -m pip install -q "$pkg"; }
done
