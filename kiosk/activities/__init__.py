"""What the kiosk does, one activity at a time: home, a guided session, a check-in, the history, the clinician's menu. Plain Python: time and the practice record come from a small context."""
