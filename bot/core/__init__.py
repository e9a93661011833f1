"""The channel-neutral core: events in, replies out. No platform types below this line."""
