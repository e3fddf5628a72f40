"""Islands: client components placed on a page -> props payload, placeholder markup, strategies."""
