#!/usr/bin/env bash
# Sets up a fresh Debian machine for annlab: pnpm 10.34.9, Debian's Chromium (headless browser tests,
# SwiftShader's Vulkan driver for WebGPU in Node), libvulkan1 and a CJK font (fonts-wqy-microhei, for
# the demo's Chinese edition), then the workspace's dependencies.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "10.34.9" ]; then
  echo "setup: installing pnpm 10.34.9"
  npm install -g pnpm@10.34.9
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libvulkan1 >/dev/null 2>&1 || missing+=(libvulkan1)
# A CJK font, so the demo's zh-CN edition renders (and its screenshots read) in headless Chromium.
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: warning: ${missing[*]} missing and cannot be installed here (need root and apt-get);" \
      "WebGPU and browser tests will be skipped unless ANNLAB_REQUIRE_GPU=1" >&2
  fi
fi

pnpm install --frozen-lockfile
