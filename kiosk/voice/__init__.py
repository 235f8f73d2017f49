"""The spoken prompts: a speech engine renders each prompt to a WAV once, in a background
process, into a cache; during a session the loop only looks a prompt's WAV up and plays it.

Rooms: `engines` (piper, espeak-ng, and the choice between them), `cache` (where WAVs live,
keyed by engine, model, settings and text), `lines` (the exact sentences spoken),
`worker` (the low-priority render process), `speaker` (when to speak, clock-free),
`pygame_player` (the mixer channel the words play on), `service` (all of it for the app),
`tools` (`desens-kiosk voice --render / --say`). Nothing here imports pygame at import
time except `pygame_player`, so the render process stays small.
"""
