"""The kiosk's configuration: YAML merged over the bundled defaults, checked once into
frozen dataclasses, with every problem reported as `file:line: key.path: what (allowed)`.

The package has three parts:
- settings.py: the data model, the frozen dataclasses the rest of the kiosk reads
  (Config, Profile, Technique, TechniqueStep, Area, ButtonsConfig, ...);
- yamltree.py: the YAML reader that keeps each value's file and line, refuses what is too
  big, too deep or given twice, and merges the user's tree over the defaults;
- fields.py: the table of every setting (key path, kind with its range, allowed text),
  walked by the one generic checker in checker.py; kinds.py holds the kinds of value.
loading.py ties them together: `load` (raises ConfigError with every problem) and
`load_or_last_good` (never raises for the user's file: runs on the copy of the last file
that loaded cleanly, kept in the data directory, else on the bundled defaults).

How to add a setting, e.g. `sounds.device`:
1. settings.py: add the field with its default to the dataclass that holds it
   (`device: str | None = None` in SoundsConfig). This is the only place the default is
   written in code.
2. fields.py: add one entry under its section, in the order messages should list it:
   `Setting("sounds.device", Text(optional=True), "an ALSA device such as hw:1, or auto")`.
   Pick the kind (Whole, Number, Switch, Choice, Text, Duration, TimeOfDay, ...) and write
   the allowed text the way a clinician reads it; it ends every message about the setting.
   Use `attr=` when the dataclass field has another name (`sleep_after_seconds`), `advice=`
   for a warning about an allowed but odd value, and a new kind in kinds.py only when no
   existing one fits. A new section is a `Section("voice", VoiceConfig, "enabled: yes")`
   entry, a Config field, and its settings as "voice.<name>"; a field of each technique is
   a "techniques[].<name>" entry plus a Technique field; a setting a profile may replace
   for itself goes into PROFILE_OVERRIDES (and Profile).
3. config/default.yaml: write the key with its default and a comment saying what it does
   and what is allowed. tests/test_config_table.py checks that every table entry is there,
   explained, and equal to the dataclass default.
"""

from kiosk.config.fields import (
    FIELDS,
    MAX_REMINDERS,
    NAME_FIT,
    PROFILE_NAME_FIT,
    PROMPT_FIT,
)
from kiosk.config.loading import (
    LAST_GOOD_NAME,
    Loaded,
    load,
    load_defaults,
    load_or_last_good,
    summary,
)
from kiosk.config.problems import ConfigError, Problem
from kiosk.config.settings import (
    Area,
    ButtonsConfig,
    CheckinsConfig,
    ClinicianConfig,
    Config,
    DisplayConfig,
    GradedConfig,
    Group,
    Language,
    Mode,
    OutputsConfig,
    Profile,
    QuietHours,
    RemindersConfig,
    RetentionConfig,
    SessionConfig,
    SoundsConfig,
    Technique,
    TechniqueStep,
    VoiceConfig,
)
from kiosk.config.values import SIZE_ALLOWED, clock, hhmm, parse_duration, parse_size
from kiosk.config.yamltree import MAX_FILE_BYTES


__all__ = [
    "FIELDS", "LAST_GOOD_NAME", "MAX_FILE_BYTES", "MAX_REMINDERS", "NAME_FIT", "PROFILE_NAME_FIT", "PROMPT_FIT", "SIZE_ALLOWED",
    "Area", "ButtonsConfig", "CheckinsConfig", "ClinicianConfig", "Config", "ConfigError",
    "DisplayConfig", "GradedConfig", "RetentionConfig", "VoiceConfig", "Group", "Language", "Loaded", "Mode", "OutputsConfig", "Problem", "Profile",
    "QuietHours", "RemindersConfig", "SessionConfig", "SoundsConfig", "Technique",
    "TechniqueStep", "clock", "hhmm", "load", "load_defaults", "load_or_last_good",
    "parse_duration", "parse_size", "summary",
]
