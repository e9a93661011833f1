"""Channel adapters: turn platform updates into core events and draw core replies."""
