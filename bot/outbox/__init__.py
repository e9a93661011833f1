"""The outbox sender: delivers queued messages with rate limits, retries and per-chat order."""
