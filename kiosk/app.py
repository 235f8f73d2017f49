"""The kiosk program: wires config, store, sound, buttons and screens around the session
logic, and runs the one loop that owns all state.

The loop sleeps until a button press (or a button's wake) arrives on the input queue, or
something timed is due: the session logic's next visible change, a button's hold or
chord, the watchdog ping, the sound device's quiet close. It also looks at SDL's own
events (window and keyboard) as often as they can matter (`Pump`): often where the
keyboard stands in for the buttons, rarely where nothing it needs comes from SDL (the
console with GPIO buttons). It redraws only when the frame differs from the last one drawn.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from kiosk import paths, text
from kiosk.config import Config, load_or_last_good
from kiosk.controller import Controller
from kiosk.devices import drm
from kiosk.devices.clock import wall_clock_synced
from kiosk.devices.notify import Notifier
from kiosk.devices.presses import STUCK_SECONDS
from kiosk.events import Cue, InputQueue, Key
from kiosk.storage import lock_data_dir
from kiosk.storage.lock import DataDirInUse
from kiosk.storage.queries import store_options
from kiosk.storage.retention import apply_retention
from kiosk.storage.store import Store, StoreError
from kiosk.views import CountdownView, SleepView

log = logging.getLogger("kiosk")

PUMP_SECONDS = 0.05  # longest sleep between looks at SDL's events while the keyboard is the buttons
ASLEEP_PUMP_SECONDS = 0.25  # the same while the screen is dark (GPIO presses still wake at once)
WINDOW_PUMP_SECONDS = 0.25  # a desktop window with GPIO buttons: only window events (expose, close)
CONSOLE_PUMP_SECONDS = 1.0  # the console with GPIO buttons: SDL brings nothing needed; a safety turn
EXIT_MAINTENANCE = 3  # "quit to the desktop" from the clinician menu; the unit does not restart on it
EXIT_NO_DISPLAY = 4  # no screen could be opened (systemd tries again)
EXIT_IN_USE = 5  # another kiosk (or a purge) holds the data directory
IN_USE_WAIT_SECONDS = 30.0  # how long a kiosk that found the data directory in use waits before exiting
WINDOW_SIZE = (800, 480)  # windowed default: the common Pi touchscreen
RETENTION_SECONDS = 24 * 3600.0  # old practice days are forgotten at start and once a day
DISPLAY_RETRY_SECONDS = 60.0  # a connected screen that would not open is tried again after this
SYSFS_DRM = drm.SYSFS_DRM  # where the screen's connectors are read (tests point it at a fake tree)
# Keys (pygame.key.name) that stand in for the buttons: the arrows, Enter and Escape on a
# keyboard, and a USB numeric keypad (8 up, 2 down, Enter select, 0 . or Backspace back)
# as the no-solder input at a bedside.
KEYMAP_NAMES = {
    "up": "up", "down": "down", "return": "select", "enter": "select", "escape": "back",
    "[8]": "up", "[2]": "down", "[0]": "back", "[.]": "back", "backspace": "back",
}


@dataclass(frozen=True)
class Options:
    """What `desens-kiosk run` was asked for on the command line."""

    config: str | None = None
    data_dir: str | None = None
    fullscreen: bool | None = None  # None = decide from config, then from the session
    size: tuple[int, int] | None = None


@dataclass(frozen=True)
class Pump:
    """How long the loop may go without looking at SDL's events. `keyboard`: the keyboard
    stands in for the buttons (mock pins), so a key must be seen soon; `window`: a desktop
    session, where window events (expose, close) come. Neither (fullscreen on the console
    with GPIO buttons): nothing SDL delivers is needed, GPIO edges wake the loop at once."""

    keyboard: bool
    window: bool

    def seconds(self, asleep: bool) -> float:
        if self.keyboard:
            return ASLEEP_PUMP_SECONDS if asleep else PUMP_SECONDS
        return WINDOW_PUMP_SECONDS if self.window else CONSOLE_PUMP_SECONDS


def load_config(path: Path | None, data_dir: Path) -> tuple[Config, list[str], list[str]]:
    """The config to run with, the notices for the child's screen (plain words) and the
    problems for the clinician (file:line: key: what is wrong). A broken file never stops
    the kiosk: it runs on the last settings that loaded cleanly (so a station keeps its
    profiles and code), or the bundled defaults when there never were any."""
    loaded = load_or_last_good(path, data_dir)
    for problem in loaded.problems:
        log.error("config: %s", problem)
    for note in (*loaded.notes, *loaded.warnings):
        log.warning("config: %s", note)
    problems = [str(problem) for problem in loaded.problems]
    if not problems:
        return loaded.config, [], []
    log.error("running on the %s settings", "last good" if loaded.origin == "last_good" else "bundled")
    if loaded.origin == "last_good":
        return loaded.config, [text.SETTINGS_PROBLEM], problems
    return loaded.config, [text.config_problem(len(problems), problems[0])], problems


def open_store(directory: Path, config: Config) -> tuple[Store, StoreError | None]:
    """The session database, or an in-memory one and the reason when the data directory
    cannot be used, so a session can still be done (and is lost only at power-off)."""
    options = store_options(config)
    try:
        store = Store.open(directory, **options)
    except StoreError as error:
        log.error("cannot use the database in %s: %s (%s)", directory, error.reason, error.detail)
        return Store(":memory:", **options), error
    if store.moved_aside:
        log.error("the database was damaged: kept as %s, a new one started", store.moved_aside)
    return store, None


def desktop_session(env: dict[str, str] | None = None) -> bool:
    """True under X11 or Wayland, where the kiosk opens a window instead of the console."""
    env = os.environ if env is None else env
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


class DisplayError(Exception):
    """No screen could be opened: nothing to show anything on, so the kiosk exits."""


def open_display(config: Config, options: Options):
    import pygame

    fullscreen = options.fullscreen
    if fullscreen is None:
        fullscreen = config.display.fullscreen
    if fullscreen is None:
        fullscreen = not desktop_session()
    size = options.size or config.display.size
    try:
        pygame.display.init()
        pygame.font.init()
        pygame.display.set_caption(text.APP_TITLE)
        if fullscreen:
            screen = pygame.display.set_mode(size or (0, 0), pygame.FULLSCREEN)
        else:
            screen = pygame.display.set_mode(size or WINDOW_SIZE)
    except pygame.error as error:
        driver = os.environ.get("SDL_VIDEODRIVER", "SDL's choice")
        raise DisplayError(f"cannot open the display ({driver}): {error}") from error
    pygame.mouse.set_visible(not fullscreen)
    log.info("display %dx%d %s (%s)", *screen.get_size(), "fullscreen" if fullscreen else "window",
             pygame.display.get_driver())
    return screen


def touch_devices(pygame) -> int:
    """How many touch devices SDL reports (0 where pygame cannot say)."""
    try:
        from pygame._sdl2 import touch as sdl_touch

        return int(sdl_touch.get_num_devices())
    except (ImportError, AttributeError, pygame.error):
        return 0


class TouchScreen:
    """The touchscreen, and the mouse in a window, as an input: SDL's finger and mouse
    events become gestures (kiosk.devices.touch), a gesture becomes the keys the place it
    was made means on the frame shown (kiosk.render.targets), and the keys go to the
    controller as a button's would. `setting` is display.touch (None = auto: on once SDL
    reports a touch device, a finger touches, or a mouse moves in a window)."""

    def __init__(self, setting: bool | None, *, devices: int, window: bool, rotate: int,
                 canvas: tuple[int, int], screen: tuple[int, int], clock: Callable[[], float], typesetter=None,
                 hold_seconds: float, chord_seconds: float):
        from kiosk.devices.touch import Touches

        self.setting = setting
        self.window = window
        self.on = setting is True or (setting is None and devices > 0)
        self.rotate = rotate
        self.canvas = canvas
        self.screen = screen
        self.clock = clock
        self.typesetter = typesetter  # the renderer's: targets are measured with its fonts
        # A finger holds as long as a button must (buttons.hold_seconds, chord_seconds).
        self.touches = Touches(canvas, hold_seconds=hold_seconds, chord_seconds=chord_seconds)

    def event(self, pygame, event, controller) -> None:
        """One SDL finger or mouse event."""
        kind = event.type
        if kind in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            if getattr(event, "touch", False):
                return  # SDL's copy of a finger: the finger itself is handled
            if kind == pygame.MOUSEMOTION and self.setting is None and self.window and any(event.rel):
                self._turn_on("a mouse moved in the window")
            if kind != pygame.MOUSEMOTION and event.button != 1:
                return
            if not self.on:
                return
            u, v = event.pos[0] / max(1, self.screen[0]), event.pos[1] / max(1, self.screen[1])
            finger = "mouse"
            if kind == pygame.MOUSEMOTION and not self.touches.is_down(finger):
                return
            phase = {pygame.MOUSEBUTTONDOWN: "down", pygame.MOUSEBUTTONUP: "up"}.get(kind, "move")
        else:
            if self.setting is None:
                self._turn_on("a finger touched the screen")
            if not self.on:
                return
            u, v, finger = event.x, event.y, ("finger", getattr(event, "touch_id", 0), event.finger_id)
            phase = {pygame.FINGERDOWN: "down", pygame.FINGERUP: "up"}.get(kind, "move")
        self.contact(phase, finger, u, v, controller)

    def contact(self, phase: str, finger, u: float, v: float, controller) -> None:
        """A contact at (u, v), fractions of the screen: "down", "move" or "up"."""
        from kiosk.devices.touch import to_canvas
        from kiosk.render import hit, targets_for

        x, y = to_canvas(u, v, self.rotate, self.canvas)
        now = self.clock()
        if phase == "down":
            frame = controller.frame()
            if isinstance(frame.view, SleepView):
                controller.press(Key.SELECT)  # a touch on a dark screen only wakes it
                return
            target = hit(targets_for(frame, self.canvas, self.typesetter), x, y)
            gestures = self.touches.down(finger, x, y, now, holdable=target is not None and target.held is not None)
        elif phase == "up":
            gestures = self.touches.up(finger, x, y, now)
        else:
            gestures = self.touches.move(finger, x, y, now)
        self.act(gestures, controller)

    def due(self, controller) -> None:
        self.act(self.touches.due(self.clock()), controller)

    def act(self, gestures, controller) -> None:
        """Turn gestures into presses: a tap or hold on a target gives its key (a rating
        cell sets the rating, a row or answer is selected, then chosen); the corners' chord
        opens the clinician's code entry."""
        from kiosk.devices.touch import Chord, Hold, Tap
        from kiosk.render import hit, targets_for

        for gesture in gestures:
            if isinstance(gesture, Chord):
                controller.press(Key.CLINICIAN)
                continue
            frame = controller.frame()
            if isinstance(frame.view, SleepView):
                continue
            target = hit(targets_for(frame, self.canvas, self.typesetter), gesture.x, gesture.y)
            if target is None:
                continue
            if isinstance(gesture, Hold):
                if target.held is not None:
                    controller.press(target.held)
            elif isinstance(gesture, Tap):
                if target.value is not None:
                    self._rate(controller, target.value)
                elif target.item is not None:
                    self._choose(controller, target.item)
                elif target.key is not None:
                    controller.press(target.key)

    @staticmethod
    def _rate(controller, value: int) -> None:
        """Set the rating shown to `value` with the presses a button would take (one step
        each); nothing is saved until "Save"."""
        for _ in range(11):
            shown = getattr(controller.frame().view, "value", None)
            if shown is None or shown == value:
                return
            controller.press(Key.UP if value > shown else Key.DOWN)
            if getattr(controller.frame().view, "value", None) == shown:
                return  # the rating did not move: not a rating screen any more

    @staticmethod
    def _choose(controller, item: int) -> None:
        """Select row (or answer) `item` as the down button would, then choose it."""
        view = controller.frame().view
        for _ in range(len(getattr(view, "items", ()) or getattr(view, "answers", ())) + 1):
            view = controller.frame().view
            if getattr(view, "selected", None) == item:
                controller.press(Key.SELECT)
                return
            controller.press(Key.DOWN)

    def _turn_on(self, why: str) -> None:
        if not self.on:
            self.on = True
            log.info("touch on: %s", why)

    def hold_now(self, frame) -> tuple[float, float, float] | None:
        """Where a hold under way is and how full its ring is (x, y, 0..1), on a frame drawn
        for touch; None when nothing is held."""
        progress = self.touches.hold_progress(self.clock())
        return progress if progress is not None and frame.touch else None


class Kiosk:
    """One running kiosk: its devices, its logic (the controller) and its loop."""

    def __init__(self, options: Options, *, clock: Callable[[], float] = time.monotonic):
        import pygame

        from kiosk.devices.buttons import ButtonPanel, make_pin_factory
        from kiosk.devices.outputs import make_outputs
        from kiosk.devices.sound import SoundPlayer

        self.options = options
        data_dir = paths.data_dir(options.data_dir)
        self.data_lock = None
        lock_problem = None
        try:
            self.data_lock = lock_data_dir(data_dir)  # one writer per data directory
        except DataDirInUse:
            raise
        except StoreError as error:  # a folder it cannot write: open_store says so below
            lock_problem = error
        self.config, notices, problems = load_config(paths.user_config_path(options.config), data_dir)
        self.store, storage_problem = open_store(data_dir, self.config)
        storage_problem = storage_problem or (lock_problem if self.store.path is None else None)
        self._pygame = pygame
        self._startup_env = dict(os.environ)
        self.screen = self.canvas = self.renderer = None
        # On the console (kmsdrm) a screen that is off or unplugged at boot is waited for,
        # not a reason to exit: systemd would restart the kiosk forever and a Pi 3 may never
        # see the screen plugged in later. Under a desktop, no window is exit status 4.
        self.watcher = drm.ScreenWatcher(SYSFS_DRM, clock=clock, log=log) if drm.uses_kms(os.environ) else None
        if self.watcher is None:
            self._open_screen(options)
        self.sound = SoundPlayer(self.config.sounds, paths.sounds_dir(), log, clock=clock)
        self.inputs = InputQueue()
        buttons_problem = None
        try:
            self.pin_factory, self.mock_pins = make_pin_factory(log)
            self.panel = ButtonPanel(self.config.buttons, self.inputs.put, self.pin_factory, clock=clock, log=log,
                                     wake=self.inputs.wake)
        except Exception as error:  # noqa: BLE001 - no GPIO access, a pin in use...: say so, keep running
            buttons_problem = f"{type(error).__name__}: {error}"
            log.error("the buttons cannot be used (%s): running on the keyboard only", buttons_problem)
            from gpiozero.pins.mock import MockFactory

            self.pin_factory, self.mock_pins = MockFactory(), True
            self.panel = ButtonPanel(self.config.buttons, self.inputs.put, self.pin_factory, clock=clock, log=log,
                                     wake=self.inputs.wake)
        self.light, self.beeper = make_outputs(self.config.outputs, self.pin_factory, log)
        self.voice = self._open_voice()
        if self.sound.problem and self.beeper is None:
            notices.append(text.NO_SOUND)
        self.controller = Controller(
            self.config,
            self.store,
            clock=clock,
            now=lambda: datetime.now(timezone.utc),
            play=self.play,
            notices=tuple(notices),
            clock_synced=wall_clock_synced,
            volatile=storage_problem.problem if storage_problem else None,
            speaker=self.voice.speaker,
        )
        context = self.controller.context
        context.button_down = self.panel.is_down  # wired buttons and a keypad alike
        if self.watcher is not None and self.watcher.poll() is not None:
            self._open_screen(options)
        elif self.renderer is not None:
            context.note_pages = self.renderer.note_pages  # the renderer knows how much fits
        if problems:
            context.problems["config"] = "; ".join(problems)
        if storage_problem:
            context.problems["storage"] = text.storage_failure(storage_problem.problem, storage_problem.path,
                                                               storage_problem.detail)
        if self.sound.problem:
            context.problems["sound"] = str(self.sound.problem)
        self._voice_problem()
        if buttons_problem:
            self.controller.alerts["buttons"] = text.buttons_problem(buttons_problem)
            context.problems["buttons"] = buttons_problem
        self._clock = clock
        self._next_retention = clock()
        self._forget_old_days()
        if self.store.moved_aside:
            self.controller.announcement = text.database_moved(self.store.moved_aside.name)
        self.notifier = Notifier(log=log)
        self._clock = clock
        self._last_frame = None
        self._ring_shown = False  # a hold's ring is on screen over the frame
        self.pump = Pump(keyboard=self.mock_pins, window=desktop_session())
        self.running = True
        self._closed = False

    def _open_screen(self, options: Options) -> bool:
        """Open the display (on the console: the card whose screen is connected) and draw
        into a canvas turned by display.rotate, as SDL2 does not turn a panel. False when a
        connected screen would not open: tried again in a minute, never in a tight loop."""
        from kiosk.render import Renderer

        os.environ.update(drm.kmsdrm_env(self._startup_env, SYSFS_DRM))
        try:
            screen = open_display(self.config, options)
        except DisplayError as error:
            if self.watcher is None:
                raise
            log.error("%s: trying again in %d s", error, DISPLAY_RETRY_SECONDS)
            self._pygame.display.quit()
            self.watcher.retry_later(DISPLAY_RETRY_SECONDS)
            return False
        width, height = screen.get_size()
        self.rotate = self.config.display.rotate
        size = (height, width) if self.rotate in (90, 270) else (width, height)
        self.screen = screen
        self.canvas = self._pygame.Surface(size) if self.rotate else screen
        self.renderer = Renderer(size)
        self._last_frame = None
        if getattr(self, "controller", None) is not None:
            self.controller.context.note_pages = self.renderer.note_pages
        return True

    def play(self, cue: Cue) -> None:
        """A cue on every output there is: the speaker and, when fitted, the buzzer."""
        self.sound.play(cue)
        if self.beeper is not None:
            self.beeper.play(cue)

    def panel_pin(self, name: str):
        """The pin behind button `name` (a mock pin on a desktop, for tests and tools)."""
        return self.pin_factory.pin(getattr(self.config.buttons, name))

    touch_screen: TouchScreen | None = None  # made with the first look at SDL's events

    def handle_sdl_events(self) -> None:
        """Window, keyboard, finger and mouse events. Keys drive the mock pins, so on a
        desktop the keyboard takes the very path the GPIO buttons take; fingers and the
        mouse go through the touch targets to the same presses (display.touch)."""
        pygame = self._pygame
        if self.screen is None:
            return  # no display yet: SDL's video (and so its events) is not open
        touch = self._touch_screen()
        for event in pygame.event.get():
            if event.type in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION,
                              pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
                if touch.setting is not False:
                    touch.event(pygame, event, self.controller)
            elif event.type == pygame.QUIT:
                self.running = False
            elif event.type in (pygame.KEYDOWN, pygame.KEYUP):
                name = KEYMAP_NAMES.get(pygame.key.name(event.key))
                if name is None:
                    continue
                if event.type == pygame.KEYDOWN:
                    self.panel.press(name)
                    if not self.pump.keyboard:
                        # A keypad beside GPIO buttons: its keys come through SDL, so SDL's
                        # events are looked at as often as the keyboard's are from now on.
                        log.info("a keyboard or keypad is in use: its keys are read every %d ms",
                                 1000 * PUMP_SECONDS)
                        self.pump = Pump(keyboard=True, window=self.pump.window)
                else:
                    self.panel.release(name)
            elif event.type in (pygame.VIDEOEXPOSE, pygame.WINDOWEXPOSED):
                self._last_frame = None  # the window was uncovered: draw again
        touch.due(self.controller)
        if touch.on and not self.controller.touch:
            self.controller.touch = True
            # The screen stands in for the buttons: SDL's events are looked at as often
            # as the keyboard's are, so a tap acts at once and a hold's ring fills smoothly.
            self.pump = Pump(keyboard=True, window=self.pump.window)

    def _touch_screen(self) -> TouchScreen:
        """The touch input for the screen open now (made again when the screen is)."""
        canvas = self.canvas.get_size()
        typesetter = self.renderer.typesetter
        if self.touch_screen is None or (self.touch_screen.canvas, self.touch_screen.typesetter) != (canvas, typesetter):
            previous = self.touch_screen
            self.touch_screen = TouchScreen(
                self.config.display.touch, devices=touch_devices(self._pygame), window=self.pump.window,
                rotate=self.rotate, canvas=canvas, screen=self.screen.get_size(), clock=self._clock,
                typesetter=typesetter, hold_seconds=self.config.buttons.hold_seconds,
                chord_seconds=self.config.buttons.chord_seconds,
            )
            if previous is not None and previous.on:
                self.touch_screen.on = True
        return self.touch_screen

    def step(self, timeout: float) -> None:
        """One turn of the loop: wait up to `timeout` for a press (or a wake), act, redraw
        if needed. Opening the sound device for someone who is here comes after the frame."""
        key = self.inputs.get(timeout)
        if self.screen is None and self.watcher is not None and self.watcher.poll() is not None:
            self._open_screen(self.options)
        self.handle_sdl_events()
        self.panel.due()
        pressed = ([key] if key is not None else []) + self.inputs.drain()
        for each in pressed:
            self.controller.press(each)
        self.controller.tick()
        rendering = self.voice.job is not None
        self.voice.poll()  # the background render's news; nothing at all once it is done
        if rendering and self.voice.job is None:
            self._voice_problem()
        self.voice.tick(self._clock())  # words whose chime is over
        self._check_buttons()
        if self.light is not None:
            self.light.set(self.controller.light())
        frame = self.controller.frame()
        # Select acts on release wherever a chord may start and select could choose
        # something, so a chord never acts as a select. On the countdown it pauses at once
        # (no chord is taken there); on a dark screen a press only wakes it, at once.
        self.panel.chord_possible = not isinstance(frame.view, (CountdownView, SleepView))
        self.draw(frame)
        if pressed:
            self.sound.prepare()  # someone is here: a cue may follow
        self.sound.rest()
        if self.sound.retry():  # a speaker plugged in after start: sound from now on
            self.controller.notices = tuple(n for n in self.controller.notices if n != text.NO_SOUND)
            self.controller.context.problems.pop("sound", None)
        if self._clock() >= self._next_retention:
            self._forget_old_days()
        self.notifier.watchdog(self._clock())
        if self.controller.quit_requested:
            self.running = False

    def _open_voice(self):
        """The spoken prompts (kiosk.voice): rendered ahead of time by a background process,
        played on a mixer channel of their own. Without an engine, a voice file or a sound
        device the kiosk runs exactly as without a voice, saying why once in the log."""
        from kiosk.voice.lines import session_texts, voice_volume
        from kiosk.voice.pygame_player import ChannelPlayer
        from kiosk.voice.service import Voice
        from kiosk.voice.speaker import cue_lengths

        voice = self.config.voice
        return Voice.open(
            engine=getattr(voice.engine, "value", voice.engine),
            model=voice.model,
            texts=session_texts(self.config.people(), text.VOICE_HALF, text.VOICE_END),
            player=ChannelPlayer(prepare=self.sound.prepare, log=log) if self.sound.ready else None,
            cue_seconds=cue_lengths(paths.sounds_dir()),
            volume=voice_volume(self.config.sounds.volume, voice.volume),
            sounds_enabled=self.config.sounds.enabled,
            log=log,
        )

    def _voice_problem(self) -> None:
        """The clinician's Problems page says why there is no voice (never the child's screen)."""
        problems = self.controller.context.problems
        why = getattr(self.voice, "why", None)
        if self.voice.problem and why is not None:
            problems["voice"] = text.VOICE_PROBLEMS.get(getattr(why, "value", str(why)), str(self.voice.problem))
        else:
            problems.pop("voice", None)

    def _forget_old_days(self) -> None:
        """retention.keep_days: practice days older than that are deleted (with secure
        delete), at start and once a day. A failure is logged and tried again tomorrow."""
        self._next_retention = self._clock() + RETENTION_SECONDS
        if self.store.path is None:
            return
        try:
            gone, removed = apply_retention(self.store, self.config.retention.keep_days, datetime.now(timezone.utc))
        except StoreError as error:
            log.error("old practice days could not be deleted: %s", error.detail or error.reason)
            return
        if gone.total or removed:
            log.info("retention: %d old record(s) and %d damaged copy(ies) deleted", gone.total, len(removed))

    def _check_buttons(self) -> None:
        stuck = self.panel.stuck(STUCK_SECONDS)
        if stuck:
            if "stuck" not in self.controller.alerts:
                log.warning("button(s) down for over %d s: %s", STUCK_SECONDS, ", ".join(stuck))
            self.controller.alerts["stuck"] = text.stuck_button(stuck)
        elif self.controller.alerts.pop("stuck", None):
            log.info("no button is stuck any more")

    def draw(self, frame=None) -> bool:
        """Draw `frame` (the controller's, by default) unless it is the one on screen. A hold
        under way on the touchscreen has its filling ring drawn over the frame before the
        one flip, so the ring never blinks out when the countdown moves on under it."""
        if self.screen is None:
            return False  # waiting for a screen: the LED, buzzer and speaker still work
        frame = self.controller.frame() if frame is None else frame
        hold = self.touch_screen.hold_now(frame) if self.touch_screen is not None else None
        redraw = frame != self._last_frame or (self._ring_shown and hold is None)  # a new frame, or a ring to take away
        if redraw:
            self.renderer.draw(self.canvas, frame)
        ring = False
        if hold is not None:
            from kiosk.render import draw_hold_progress

            ring = draw_hold_progress(self.canvas, frame, *hold, self.renderer.typesetter) is not None
        self._ring_shown = ring or (self._ring_shown and not redraw)  # (the canvas may still hold one)
        if not (redraw or ring):
            return False
        if self.rotate:
            self.screen.blit(self._pygame.transform.rotate(self.canvas, -self.rotate), (0, 0))
        self._pygame.display.flip()
        self._last_frame = frame
        return True

    def next_timeout(self) -> float:
        """How long the next turn may wait: until the first of the next visible change, a
        button's hold or chord, the watchdog ping, the sound device's quiet close, and the
        next look at SDL's events."""
        now = self._clock()
        waits = [
            self.pump.seconds(self.controller.asleep),
            self.notifier.due_in(now),
            self.controller.next_change_in(),
            self.panel.next_due_in(),
            self.sound.next_due_in(),
            self.voice.due_in(now),
            self.watcher.due_in() if self.screen is None and self.watcher is not None else None,
        ]
        return min(wait for wait in waits if wait is not None)

    def run(self) -> int:
        self.draw()
        self.notifier.ready(status="running" if self.screen is not None else "waiting for a screen")
        while self.running:
            self.step(self.next_timeout())
        self.notifier.stopping()
        if self.controller.quit_requested:
            log.info("quit for maintenance from the clinician menu")
            return EXIT_MAINTENANCE
        return 0

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.notifier.close()
        for output in (self.light, self.beeper):
            if output is not None:
                output.close()
        self.panel.close()
        self.voice.close()  # stops the words and a render still running
        self.sound.close()
        self.controller.recorder.flush()  # one last try for anything still waiting
        if self.controller.recorder.unsaved:
            log.error("closing with writes the database did not take: %s", self.controller.recorder.problem)
        self.store.close()
        if self.data_lock is not None:
            self.data_lock.release()
        self._pygame.quit()


def run(options: Options) -> int:
    """Start the kiosk and run until the window is closed or the process is stopped
    (SIGTERM from `systemctl stop`, or Ctrl+C): the loop ends its turn, then closes the
    pins, the sound and the database. A session running then is left in progress and
    marked interrupted at the next start, as after a power cut."""
    stopped: list[int] = []
    kiosk: Kiosk | None = None

    def stop(signum, frame) -> None:
        log.info("stopping (%s)", signal.Signals(signum).name)
        stopped.append(signum)
        if kiosk is not None:
            kiosk.running = False
            kiosk.inputs.wake()  # end the loop's wait now (the console's may be long)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)  # before start-up, so an early stop is clean too
    try:
        kiosk = Kiosk(options)
    except DisplayError as error:
        log.error("%s", error)
        return EXIT_NO_DISPLAY
    except DataDirInUse as error:
        log.error("another kiosk or tool is using %s (%s): stop it first (sudo systemctl stop desens-kiosk)",
                  error.path, error.detail)
        # Not a tight restart loop: wait a while (a purge may finish), then let systemd try again.
        deadline = time.monotonic() + IN_USE_WAIT_SECONDS
        while not stopped and time.monotonic() < deadline:
            time.sleep(0.5)
        return EXIT_IN_USE
    kiosk.running = not stopped
    try:
        return kiosk.run()
    finally:
        kiosk.close()
