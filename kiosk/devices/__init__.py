"""The edges that touch hardware: buttons, the status LED and buzzer, sound, systemd's notify socket, USB drives, the wall clock."""
