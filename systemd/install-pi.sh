#!/usr/bin/env bash
# Install or update desens-kiosk on Raspberry Pi OS (Bookworm or Trixie) so that the Pi
# boots into the kiosk. Run from a checkout: sudo systemd/install-pi.sh
# Safe to run again: it brings an existing install up to date with the checkout.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: sudo systemd/install-pi.sh [--no-start] [--dry-run] [--upgrade] [--desktop[=USER]]
                                   [--code=up,down,...] [--voice-model=FILE.onnx]

Installs the apt packages, the user "desens", the venv in /opt/desens-kiosk/venv, the
config /etc/desens-kiosk/config.yaml (only if absent) and desens-kiosk.service, then
enables and (re)starts the service. Also mounts USB drives for the clinician's export,
caps the journal's size, and repairs the saved clock of a Pi without a network.

  --no-start   enable the service but do not start it (building an image, a chroot)
  --dry-run    print what would be done, change nothing (no root needed)
  --upgrade    also run apt-get full-upgrade (kernel and firmware fixes), then reboot
  --desktop    on the Desktop image: start the kiosk as a window when USER (default: the
               user who ran sudo) logs in to the desktop, instead of the console service
  --code       the clinician's button code, 6 to 10 of up, down, select, back (commas
               between). Without it, a config that has no code yet gets one: typed in
               when asked at a terminal, else a random one printed once
  --voice-model  install a piper voice (FILE.onnx with FILE.onnx.json beside it), piper
               itself, and render the spoken prompts ahead of time (64-bit Pi OS only)
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
JOURNAL_DROPIN=/etc/systemd/journald.conf.d/desens-kiosk.conf
JOURNAL_MAX=64M
TIMESYNC_CLOCK=/var/lib/systemd/timesync/clock
AUTOSTART_NAME=desens-kiosk.desktop
# apt's interpreter: its dist-packages hold apt's pygame (with kmsdrm) and lgpio.
PYTHON=/usr/bin/python3
APT_PACKAGES=(
    python3 python3-venv python3-pygame python3-gpiozero python3-lgpio python3-yaml python3-pil
    libegl1 libegl-mesa0 libgles2 libgbm1 libgl1-mesa-dri alsa-utils fonts-freefont-ttf
    espeak-ng
)
# espeak-ng: the small fallback voice (voice.engine: espeak-ng), about 10 MB.
# libgl1-mesa-dri holds Mesa's vc4/v3d drivers: libegl-mesa0 does not pull it in, and
# without it EGL fails ("MESA-LOADER: failed to open vc4") and the screen stays black.
# Not from PyPI, ever: PyPI's pygame has no kmsdrm (black screen), an old PyPI lgpio
# breaks gpiozero. The venv keeps apt's; pip is held to apt's versions of these.
APT_ONLY_PYTHON=(pygame lgpio)

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DRY_RUN=0
START=1
UPGRADE=0
DESKTOP=0
DESKTOP_USER=
CODE=
VOICE_MODEL=
VOICES=/usr/local/share/desens-kiosk/voices   # ProtectHome=yes: the service cannot read /home
PINS=  # apt's versions of the apt-only packages, written by install_venv
BUTTON_NAMES=(up down select back)

parse_args() {
    local arg
    for arg in "$@"; do
        case $arg in
            --dry-run) DRY_RUN=1 ;;
            --no-start) START=0 ;;
            --upgrade) UPGRADE=1 ;;
            --desktop) DESKTOP=1; DESKTOP_USER=${SUDO_USER:-} ;;
            --desktop=*) DESKTOP=1; DESKTOP_USER=${arg#--desktop=} ;;
            --code=*) CODE=${arg#--code=} ;;
            --voice-model=*) VOICE_MODEL=${arg#--voice-model=} ;;
            -h|--help) usage; exit 0 ;;
            *) echo "install-pi.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
        esac
    done
}

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

warn() { printf 'install-pi.sh: %s\n' "$*" >&2; }

# Write stdin to PATH with MODE (owned by USER when given), or with --dry-run show it.
write_file() {
    local path=$1 mode=$2 owner=${3:-} content tmp
    content=$(cat)
    if (( DRY_RUN )); then
        printf '    would write %s:\n' "$path"
        printf '%s\n' "$content" | sed 's/^/      | /'
        return
    fi
    tmp=$(mktemp)
    printf '%s\n' "$content" >"$tmp"
    if [[ -n $owner ]]; then
        install -m "$mode" -o "$owner" -g "$(id -gn "$owner")" "$tmp" "$path"
    else
        install -D -m "$mode" "$tmp" "$path"
    fi
    rm -f "$tmp"
}

# --- Probes: what this system is. Under --dry-run a test may stand in for any of them with
# INSTALL_PI_FAKE_<NAME>; a real run ignores those variables.

faked() {  # faked NAME: prints the stand-in for probe NAME and succeeds, if there is one
    local var="INSTALL_PI_FAKE_$1"
    (( DRY_RUN )) && [[ -n ${!var+set} ]] || return 1
    printf '%s' "${!var}"
}

default_target() {
    faked DEFAULT_TARGET && return
    systemctl get-default 2>/dev/null || true
}

# "active" (a display manager runs: a desktop owns the screen), "enabled" (one starts at
# boot into graphical.target) or "none" (Lite, or a Desktop image switched to console).
display_manager() {
    faked DISPLAY_MANAGER && return
    if [[ -d /run/systemd/system ]] && systemctl is-active --quiet display-manager.service; then
        echo active
    elif [[ -e /etc/systemd/system/display-manager.service ]]; then
        echo enabled
    else
        echo none
    fi
}

# True when someone is logged in to a desktop (X11 or Wayland): its file manager mounts USB
# drives (udisks2 does nothing by itself: Lite has it too, and mounts nothing).
desktop_session_active() {
    local value id type
    if value=$(faked DESKTOP_SESSION); then [[ $value == yes ]]; return; fi
    [[ $(display_manager) == active ]] && return 0
    [[ -d /run/systemd/system ]] && command -v loginctl >/dev/null || return 1
    for id in $(loginctl list-sessions --no-legend 2>/dev/null | awk '{print $1}'); do
        type=$(loginctl show-session "$id" -p Type --value 2>/dev/null || true)
        [[ $type == x11 || $type == wayland ]] && return 0
    done
    return 1
}

installed() {  # installed PACKAGE
    local value
    if value=$(faked INSTALLED); then [[ " $value " == *" $1 "* ]]; return; fi
    # shellcheck disable=SC2016  # ${Status} is dpkg-query's field, not a shell variable
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

apt_has() {  # apt_has PACKAGE: apt can install it here (fake-hwclock is gone from Trixie's images)
    local value candidate
    if value=$(faked APT_HAS); then [[ " $value " == *" $1 "* ]]; return; fi
    candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [[ -n $candidate && $candidate != "(none)" ]]
}

clock_synced() {  # NTP has set the clock since boot
    local value
    if value=$(faked CLOCK_SYNCED); then [[ $value == yes ]]; return; fi
    [[ -e /run/systemd/timesync/synchronized ]] \
        || [[ $(timedatectl show -p NTPSynchronized --value 2>/dev/null) == yes ]]
}

timesync_clock() {
    faked TIMESYNC_CLOCK || echo "$TIMESYNC_CLOCK"
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

# A Pi on the Desktop image: its compositor owns the screen, and a console service cannot
# draw on it. Stop before changing anything and say what to do, unless --desktop was asked.
check_desktop() {
    local manager target
    manager=$(display_manager)
    target=$(default_target)
    # graphical.target alone means nothing: it is Debian's default, Lite included.
    if [[ $manager == active || ( $manager == enabled && $target == graphical.target ) ]]; then
        if (( DESKTOP )); then
            [[ -n $DESKTOP_USER ]] \
                || die "--desktop: whose desktop? run it with sudo from that user's account, or --desktop=USER"
            id -u "$DESKTOP_USER" >/dev/null 2>&1 || die "--desktop: no user '$DESKTOP_USER' on this system"
            say "Desktop image: the kiosk will start as a window when $DESKTOP_USER logs in"
            return
        fi
        say "This Pi boots to a desktop (display manager $manager, default target $target)"
        note "The desktop owns the screen: the kiosk's console service cannot draw on it."
        note "Either switch to console boot, reboot, and run this script again:"
        note "    sudo raspi-config nonint do_boot_behaviour B1 && sudo reboot"
        note "or start the kiosk as a window each time the desktop's user logs in:"
        note "    sudo systemd/install-pi.sh --desktop"
        exit 1
    fi
    if (( DESKTOP )); then
        die "--desktop is for the Desktop image, and this Pi boots to the console: run without it"
    fi
}

# Why apt failed, in words a person setting up a Pi can act on: most often a clock far off
# (release files "not valid yet"), else no network.
apt_failure_hint() {
    note "now is $(date '+%Y-%m-%d %H:%M %Z') by this Pi's clock; is that right?"
    if clock_synced; then
        note "the clock is synchronised: check the network (ping deb.debian.org)"
    else
        note "the clock is not synchronised (no network time yet). Connect the network and wait"
        note "for it (timedatectl shows 'System clock synchronized: yes'), or set it by hand:"
        note "    sudo date -s 'YYYY-MM-DD HH:MM'"
    fi
}

install_packages() {
    say "Installing apt packages"
    if ! run env DEBIAN_FRONTEND=noninteractive apt-get update; then
        warn "apt-get update failed: carrying on with the package lists this Pi already has"
        apt_failure_hint
    fi
    local packages=("${APT_PACKAGES[@]}")
    # fake-hwclock saves the time at shutdown and restores it at boot: with no network and
    # no RTC the clock then starts where it stopped, not at the image's build date.
    if installed fake-hwclock; then
        note "fake-hwclock is installed"
    elif apt_has fake-hwclock; then
        packages+=(fake-hwclock)
    else
        note "no fake-hwclock here (Trixie dropped it): offline, the clock starts from"
        note "systemd-timesyncd's saved time; fit an RTC battery (Pi 5) or an RTC HAT if this"
        note "Pi will rarely see a network"
    fi
    if ! run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"; then
        warn "apt-get install failed"
        apt_failure_hint
        die "the packages above are needed: fix the cause and run this script again"
    fi
    if (( UPGRADE )); then
        say "Upgrading the system (--upgrade): kernel and firmware fixes for the display"
        if run env DEBIAN_FRONTEND=noninteractive apt-get full-upgrade -y; then
            note "reboot when this script is done, to run the new kernel"
        else
            warn "apt-get full-upgrade failed: the kiosk is installed all the same"
            apt_failure_hint
        fi
    else
        note "kernel fixes for screen flicker and black screens come with system updates:"
        note "sudo systemd/install-pi.sh --upgrade (apt-get full-upgrade), then reboot"
    fi
}

# systemd-timesyncd sets the clock at boot from this file's date, so a Pi without network
# or RTC does not start in the past. Some Trixie images ship it as a directory (so the date
# is never kept), and a date in the future pulls every offline boot forward to it.
repair_clock() {
    say "Saved clock $(timesync_clock)"
    local clock owner=() saved now
    clock=$(timesync_clock)
    if getent passwd systemd-timesync >/dev/null; then
        owner=(-o systemd-timesync -g systemd-timesync)
    fi
    if [[ -L $clock || ( -e $clock && ! -f $clock ) ]]; then
        note "not a plain file: systemd-timesyncd cannot keep the time across reboots; replacing it"
        run rm -rf -- "$clock"
        run install -m 0644 "${owner[@]}" /dev/null "$clock"
    elif [[ ! -e $clock ]]; then
        note "absent: systemd-timesyncd writes it once the network has set the clock"
    else
        saved=$(stat -c %Y "$clock")
        now=$(date +%s)
        if (( saved <= now + 300 )); then
            note "fine (dated $(date -d "@$saved" '+%Y-%m-%d %H:%M'))"
        elif clock_synced; then
            note "dated $(date -d "@$saved" '+%Y-%m-%d %H:%M'), in the future: every offline boot would jump there; dating it now"
            run touch -- "$clock"
        else
            note "dated $(date -d "@$saved" '+%Y-%m-%d %H:%M'), ahead of this Pi's clock, which is not synchronised:"
            note "left as it is (it may be the right one); run this script again once the network has set the time"
        fi
    fi
}

# The journal on an SD card: capped, so logs neither fill the card nor keep writing to it.
cap_journal() {
    say "Journal size"
    write_file "$JOURNAL_DROPIN" 0644 <<EOF
# desens-kiosk (install-pi.sh): keep the journal small, it lives on the SD card.
[Journal]
SystemMaxUse=$JOURNAL_MAX
RuntimeMaxUse=32M
EOF
    note "at most $JOURNAL_MAX of logs, from the next boot on"
}

desktop_user_groups() {
    say "User $DESKTOP_USER (the desktop's)"
    local group
    for group in "${KIOSK_GROUPS[@]}"; do
        if getent group "$group" >/dev/null; then
            run usermod --append --groups "$group" "$DESKTOP_USER"
        fi
    done
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
    PINS=$pins
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
    set_code
    if (( DRY_RUN )); then
        note "would check it: $VENV/bin/desens-kiosk check-config $CONFIG"
    else
        "$VENV/bin/desens-kiosk" check-config "$CONFIG" \
            || die "$CONFIG has problems (listed above): fix them and run this script again"
    fi
}

# The clinician's code: never a published default. --code, or typed in at a terminal, or
# a random one printed once; a config that already has a code keeps it.
valid_code() {  # valid_code "up,down,...": 6 to 10 button names
    local -a presses
    IFS=, read -r -a presses <<<"$1"
    (( ${#presses[@]} >= 6 && ${#presses[@]} <= 10 )) || return 1
    local press name ok
    for press in "${presses[@]}"; do
        ok=0
        for name in "${BUTTON_NAMES[@]}"; do
            [[ $press == "$name" ]] && ok=1
        done
        (( ok )) || return 1
    done
}

random_code() {  # eight presses drawn from the kernel's random source
    local -a presses=()
    local byte
    for _ in 1 2 3 4 5 6 7 8; do
        byte=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
        presses+=("${BUTTON_NAMES[byte % 4]}")
    done
    local IFS=,
    printf '%s\n' "${presses[*]}"
}

has_code() {  # the config names a clinician code already
    [[ -f $CONFIG ]] && grep -Eq '^[[:space:]]+code:[[:space:]]*\[[^]]*[a-z]' "$CONFIG"
}

set_code() {
    say "Clinician code"
    if [[ -z $CODE ]] && has_code; then
        note "kept: $CONFIG already sets one"
        return
    fi
    local shown=0
    if [[ -z $CODE && -t 0 && -t 1 ]] && (( ! DRY_RUN )); then
        printf '    Type the code (6 to 10 of up, down, select, back, commas between),\n'
        printf '    or press Enter for a random one: '
        read -r CODE || CODE=
    fi
    if [[ -z $CODE ]]; then
        CODE=$(random_code)
        shown=1
    fi
    valid_code "$CODE" || die "--code $CODE: give 6 to 10 of up, down, select, back, with commas between"
    if grep -Eq '^clinician:' "$CONFIG" 2>/dev/null; then
        run sed -i -E "/^clinician:/,/^[^[:space:]#]/ s/^([[:space:]]+code:).*/\1 [${CODE//,/, }]/" "$CONFIG"
        if (( ! DRY_RUN )) && ! has_code; then
            run sed -i -E "s/^clinician:.*/clinician:\n  code: [${CODE//,/, }]/" "$CONFIG"
        fi
    else
        run sh -c "printf '\nclinician:\n  code: [%s]\n' '${CODE//,/, }' >> '$CONFIG'"
    fi
    if (( shown )); then
        note "the code is: ${CODE//,/ } (written down nowhere else: keep it safe)"
    else
        note "set"
    fi
}

# --voice-model: piper and the voice file, then the prompts rendered as the kiosk's user.
install_voice() {
    [[ -n $VOICE_MODEL ]] || return 0
    say "Voice $VOICE_MODEL"
    if (( ! DRY_RUN )); then
        [[ -f $VOICE_MODEL ]] || die "--voice-model: $VOICE_MODEL is not a file"
        [[ -f $VOICE_MODEL.json ]] || die "--voice-model: $VOICE_MODEL.json (the voice's settings) must be beside it"
        [[ $(uname -m) == aarch64 || $(uname -m) == x86_64 ]] \
            || die "piper needs a 64-bit system (this is $(uname -m)): use voice.engine espeak-ng instead"
    fi
    run "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        --constraint "${PINS:-/dev/null}" "${SRC}[voice]"
    local name
    name=$(basename "$VOICE_MODEL")
    run install -d -m 0755 "$VOICES"
    run install -m 0644 "$VOICE_MODEL" "$VOICE_MODEL.json" "$VOICES/"
    if grep -q '^voice:' "$CONFIG" 2>/dev/null; then
        note "$CONFIG has a voice: section: set   model: $VOICES/$name   in it yourself"
    else
        run sh -c "printf '\nvoice:\n  engine: auto\n  model: %s\n' '$VOICES/$name' >> '$CONFIG'"
    fi
    if (( DESKTOP )); then
        run runuser -u "$DESKTOP_USER" -- "$VENV/bin/desens-kiosk" voice --render --config "$CONFIG" \
            || note "the voice could not render now; the kiosk tries again at start (see its log)"
        return
    fi
    # Render now, into the service's cache, so the first session already speaks.
    run install -d -o "$KIOSK_USER" -g "$KIOSK_USER" -m 0700 /var/cache/desens-kiosk
    run runuser -u "$KIOSK_USER" -- env CACHE_DIRECTORY=/var/cache/desens-kiosk \
        "$VENV/bin/desens-kiosk" voice --render --config "$CONFIG" \
        || note "the voice could not render now; the kiosk tries again at start (see its log)"
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
    if [[ -d /run/systemd/system ]]; then
        run systemctl daemon-reload
    else
        note "systemd is not running here (an image or chroot): skipping daemon-reload"
    fi
    run systemctl enable "$UNIT"
}

# USB drives for the clinician's export. udisks2 mounts nothing by itself (Lite has shipped
# it since 2021 and mounts nothing): a desktop's file manager does, for its logged-in user.
# So the rule goes in unless a desktop session is there to do it.
install_usb_rule() {
    say "USB drives for the clinician's export"
    local rule=/etc/udev/rules.d/$USB_RULE
    if (( DESKTOP )) || desktop_session_active; then
        note "a desktop session mounts USB drives here (under /media/<user>): no udev rule"
        if [[ -e $rule ]]; then
            run rm -f -- "$rule"
        fi
        return
    fi
    if installed udisks2; then
        note "udisks2 is installed but mounts nothing without a desktop: the rule mounts them"
    fi
    run install -m 0644 "$SRC/systemd/$USB_RULE" "$rule"
    if [[ -d /run/udev ]]; then
        run udevadm control --reload
    fi
}

# --desktop: an XDG autostart entry in the desktop user's home starts the kiosk at login
# (X11, Wayfire and labwc all honour them); the console service is left off.
install_autostart() {
    local home group dir
    home=$(getent passwd "$DESKTOP_USER" | cut -d: -f6)
    [[ -n $home && -d $home ]] || die "--desktop: $DESKTOP_USER has no home directory"
    group=$(id -gn "$DESKTOP_USER")
    dir=$home/.config/autostart
    say "Autostart $dir/$AUTOSTART_NAME"
    if [[ ! -d $home/.config ]]; then
        run install -d -m 0700 -o "$DESKTOP_USER" -g "$group" "$home/.config"
    fi
    if [[ ! -d $dir ]]; then
        run install -d -m 0755 -o "$DESKTOP_USER" -g "$group" "$dir"
    fi
    write_file "$dir/$AUTOSTART_NAME" 0644 "$DESKTOP_USER" <<EOF
[Desktop Entry]
Type=Application
Name=desens-kiosk
Comment=Desensitization session kiosk (installed by install-pi.sh --desktop)
Exec=env PYGAME_HIDE_SUPPORT_PROMPT=1 $VENV/bin/desens-kiosk run --fullscreen
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
EOF
    if systemctl is-enabled --quiet "$UNIT" 2>/dev/null; then
        note "the console service was enabled: turning it off (the desktop owns the screen)"
        run systemctl disable --now "$UNIT"
    fi
    note "the session log goes to $home/.local/share/desens-kiosk; settings stay in $CONFIG"
    note "sound goes through the desktop's PipeWire, which only a logged-in user has"
}

start_service() {
    if (( DESKTOP )); then
        say "The kiosk starts when $DESKTOP_USER logs in to the desktop"
        note "(log out and in, or reboot; for no login at all: raspi-config, Desktop Autologin)"
        return
    fi
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

main() {
    parse_args "$@"
    preflight "$@"
    check_desktop
    install_packages
    repair_clock
    cap_journal
    if (( DESKTOP )); then
        desktop_user_groups
    else
        create_user
    fi
    install_venv
    install_config
    install_voice
    if (( DESKTOP )); then
        install_autostart
    else
        install_unit
    fi
    install_usb_rule
    start_service
    say "Done."
}

# Sourced (by the tests), it only defines its functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    main "$@"
fi
