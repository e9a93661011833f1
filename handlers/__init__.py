"""What happens on commands, button presses and submits (on top of the dialog engine)."""
