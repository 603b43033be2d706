#!/bin/sh
# Installs Prometheus, promtool and the Pushgateway from Debian when they are missing. The analysis and
# metrics tests start their own copies on free loopback ports; nothing is started here.
set -eu
if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 \
        && command -v prometheus-pushgateway >/dev/null 2>&1; then
    echo "prometheus, promtool and prometheus-pushgateway are already installed"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# --no-install-recommends skips node-exporter and its collectors (about 300 MB we do not need)
$SUDO apt-get install -y --no-install-recommends prometheus prometheus-pushgateway
# On a host with systemd the packages start services on :9090/:9091; the tests never use those ports.
prometheus --version 2>&1 | head -1
prometheus-pushgateway --version 2>&1 | head -1
