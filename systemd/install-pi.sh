#!/usr/bin/env bash
# Install or update desens-kiosk on Raspberry Pi OS (Bookworm or Trixie) so that the Pi
# boots into the kiosk. Run from a checkout: sudo systemd/install-pi.sh
# Safe to run again: it brings an existing install up to date with the checkout.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: sudo systemd/install-pi.sh [--no-start] [--dry-run]

Installs the apt packages, the user "desens", the venv in /opt/desens-kiosk/venv, the
config /etc/desens-kiosk/config.yaml (only if absent) and desens-kiosk.service, then
enables and (re)starts the service.

  --no-start  enable the service but do not start it (building an image, a chroot)
  --dry-run   print what would be done, change nothing (no root needed)
EOF
}

KIOSK_USER=desens
KIOSK_GROUPS=(gpio video render input audio)
PREFIX=/opt/desens-kiosk
VENV=$PREFIX/venv
CONFIG=/etc/desens-kiosk/config.yaml
UNIT=desens-kiosk.service
UNIT_PATH=/etc/systemd/system/$UNIT
USB_RULE=99-desens-kiosk-usb.rules
# apt's interpreter: its dist-packages hold apt's pygame (with kmsdrm) and lgpio.
PYTHON=/usr/bin/python3
APT_PACKAGES=(
    python3 python3-venv python3-pygame python3-gpiozero python3-lgpio python3-yaml
    libegl1 libegl-mesa0 libgles2 libgbm1 alsa-utils fonts-freefont-ttf
)
# Not from PyPI, ever: PyPI's pygame has no kmsdrm (black screen), an old PyPI lgpio
# breaks gpiozero. The venv keeps apt's; pip is held to apt's versions of these.
APT_ONLY_PYTHON=(pygame lgpio)

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DRY_RUN=0
START=1

for arg in "$@"; do
    case $arg in
        --dry-run) DRY_RUN=1 ;;
        --no-start) START=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install-pi.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf 'install-pi.sh: %s\n' "$*" >&2; exit 1; }

# Run a command, or with --dry-run print it (shell-quoted) instead.
run() {
    if (( DRY_RUN )); then
        printf '    would run:'
        printf ' %q' "$@"
        printf '\n'
    else
        "$@"
    fi
}

preflight() {
    [[ -f $SRC/pyproject.toml && -f $SRC/systemd/$UNIT ]] \
        || die "run me from a desens-kiosk checkout (no pyproject.toml or systemd/$UNIT in $SRC)"
    if (( DRY_RUN )); then
        say "Dry run: nothing will be changed"
        return
    fi
    (( EUID == 0 )) || die "must be run as root: sudo $0 $*"
    command -v apt-get >/dev/null || die "apt-get not found: this script is for Raspberry Pi OS"
}

install_packages() {
    say "Installing apt packages"
    run env DEBIAN_FRONTEND=noninteractive apt-get update
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${APT_PACKAGES[@]}"
}

create_user() {
    say "User $KIOSK_USER"
    if id -u "$KIOSK_USER" >/dev/null 2>&1; then
        note "user $KIOSK_USER already exists"
    else
        run useradd --system --user-group --home-dir /var/lib/desens-kiosk --no-create-home \
            --shell /usr/sbin/nologin --comment "desens-kiosk" "$KIOSK_USER"
    fi
    local group
    for group in "${KIOSK_GROUPS[@]}"; do
        if getent group "$group" >/dev/null; then
            run usermod --append --groups "$group" "$KIOSK_USER"
        else
            note "no group '$group' on this system: skipped (its devices stay root-only)"
        fi
    done
}

# A usable venv: it runs, sees the system site-packages, and has the system's Python
# version (an OS upgrade from Bookworm to Trixie changes it).
venv_ok() {
    [[ -x $VENV/bin/python ]] || return 1
    grep -qi '^include-system-site-packages *= *true' "$VENV/pyvenv.cfg" || return 1
    [[ $("$VENV/bin/python" -c 'import sys; print(sys.version_info[:2])' 2>/dev/null) \
        == $("$PYTHON" -c 'import sys; print(sys.version_info[:2])') ]]
}

install_venv() {
    say "Python environment $VENV"
    if venv_ok; then
        note "venv present"
    else
        if [[ -e $VENV ]]; then
            note "venv unusable, without system packages or for another Python: recreating it"
            run rm -rf "$VENV"
        fi
        run "$PYTHON" -m venv --system-site-packages "$VENV"
    fi

    # Pin the apt-only packages to the versions apt installed: pip then keeps them, takes
    # from PyPI only what apt lacks (sqlite-utils and its pure-Python helpers), and fails
    # loudly instead of fetching a PyPI pygame if the project ever asks for a newer one.
    local pins
    if (( DRY_RUN )); then
        pins=/tmp/desens-kiosk-pins.txt
        note "would pin ${APT_ONLY_PYTHON[*]} to apt's versions in $pins"
    else
        pins=$(mktemp)
        # shellcheck disable=SC2064  # expand $pins now
        trap "rm -f '$pins'" EXIT
        "$VENV/bin/python" - "${APT_ONLY_PYTHON[@]}" >"$pins" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version
for name in sys.argv[1:]:
    try:
        print(f"{name}=={version(name)}")
    except PackageNotFoundError:
        try:
            __import__(name)
        except ImportError:
            sys.exit(f"apt's python3-{name} is not visible in the venv")
        if name == "pygame":  # the project asks pip for pygame: pip must see apt's
            sys.exit("apt's python3-pygame has no package metadata: pip would fetch PyPI's")
        # importable without metadata: nothing asks pip for it, so there is nothing to pin
EOF
        note "pins: $(tr '\n' ' ' <"$pins")"
    fi
    run "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        --constraint "$pins" "$SRC"
    # Then the project alone, forced: an update with an unchanged version number still
    # replaces the code (--force-reinstall with deps could reach for PyPI's pygame).
    run "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        --force-reinstall --no-deps "$SRC"

    if (( ! DRY_RUN )); then
        local where
        where=$(PYGAME_HIDE_SUPPORT_PROMPT=1 "$VENV/bin/python" -c 'import pygame, lgpio, gpiozero, yaml, sqlite_utils; print(pygame.__file__)') \
            || die "the venv cannot import the kiosk's dependencies"
        [[ $where == /usr/lib/python3/* ]] \
            || die "pygame comes from $where, not from apt's python3-pygame: remove it (pip uninstall) and re-run"
        note "pygame from apt: $where"
    fi
    # `desens-kiosk check-config` for the admin, without typing the venv's path.
    run ln -sfn "$VENV/bin/desens-kiosk" /usr/local/bin/desens-kiosk
}

install_config() {
    say "Config $CONFIG"
    if [[ -e $CONFIG ]]; then
        note "kept as it is (yours)"
    else
        run install -D -m 0644 "$SRC/config/default.yaml" "$CONFIG"
    fi
    if (( DRY_RUN )); then
        note "would check it: $VENV/bin/desens-kiosk check-config $CONFIG"
    else
        "$VENV/bin/desens-kiosk" check-config "$CONFIG" \
            || die "$CONFIG has problems (listed above): fix them and run this script again"
    fi
}

install_unit() {
    say "Service $UNIT"
    run install -m 0644 "$SRC/systemd/$UNIT" "$UNIT_PATH"
    # Console blanking off from boot on (the unit also turns it off at every start).
    local cmdline
    for cmdline in /boot/firmware/cmdline.txt /boot/cmdline.txt; do
        [[ -f $cmdline ]] || continue
        if grep -q 'consoleblank=' "$cmdline"; then
            note "$cmdline already sets consoleblank"
        else
            run sed -i '1s/$/ consoleblank=0/' "$cmdline"
        fi
        break
    done
    # USB drives for the clinician's export: mounted by our udev rule unless a desktop's
    # automounter (udisks2) already does it.
    if dpkg -s udisks2 >/dev/null 2>&1; then
        note "udisks2 mounts USB drives here: no udev rule needed"
    else
        run install -m 0644 "$SRC/systemd/$USB_RULE" "/etc/udev/rules.d/$USB_RULE"
        if [[ -d /run/udev ]]; then
            run udevadm control --reload
        fi
    fi
    if [[ -d /run/systemd/system ]]; then
        run systemctl daemon-reload
    else
        note "systemd is not running here (an image or chroot): skipping daemon-reload"
    fi
    run systemctl enable "$UNIT"
}

start_service() {
    if (( ! START )); then
        say "Not starting (--no-start): the kiosk starts at the next boot"
        return
    fi
    if [[ ! -d /run/systemd/system ]]; then
        say "Not starting: systemd is not running here; the kiosk starts at the next boot"
        return
    fi
    if [[ $(tty 2>/dev/null || true) == /dev/tty1 ]]; then
        say "Not starting from tty1, which the kiosk takes over: reboot, or from another"
        note "terminal (ssh): sudo systemctl restart $UNIT"
        return
    fi
    say "Starting the kiosk"
    # restart, not start: an update must replace a running kiosk.
    run systemctl restart "$UNIT"
    if (( ! DRY_RUN )); then
        note "logs: journalctl -u desens-kiosk -f"
    fi
}

preflight "$@"
install_packages
create_user
install_venv
install_config
install_unit
start_service
say "Done."
